"""The travel agency's booking API, over HTTP, as a dependency.

Every request carries an Idempotency-Key: a retry after a timeout cannot book
twice. Every request is signed (`Agency-Signature`, the scheme of the agency's own
webhooks, with TRAVEL.agency_api_secret): a booking carries the passenger's
identity, which goes to no one but the agency. The reply says whether the
agency accepted, refused (it will not do it: a 4xx), or could not be reached
(try again later).
"""
import json

import requests
from nameko.extensions import DependencyProvider

from services.travel.domain.agency import ACCEPTED, REFUSED, UNAVAILABLE, Reply
from services.travel.settings import parse
from shared.webhooks import sign

SIGNATURE_HEADER = "Agency-Signature"


class AgencyApi:
    def __init__(self, base_url: str, timeout: float, secret: str):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.secret = secret

    def send(self, action: str, order_id: str | None, idempotency_key: str, payload: dict) -> Reply:
        """book: POST /orders; change: POST /orders/<id>/changes; cancel: .../cancellation."""
        path = {"book": "/orders", "change": f"/orders/{order_id}/changes",
                "cancel": f"/orders/{order_id}/cancellation"}[action]
        try:
            body = json.dumps(payload).encode()
            response = requests.post(self.base_url + path, data=body, timeout=self.timeout, headers={
                "Idempotency-Key": idempotency_key, "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(body, self.secret)})
        except requests.RequestException as exc:
            return Reply(UNAVAILABLE, error=f"{type(exc).__name__}")
        body = _json(response)
        if response.status_code < 300:
            return Reply(ACCEPTED, body)
        error = f"{response.status_code} {body.get('error', '')}".strip()
        if response.status_code >= 500 or response.status_code == 429:
            return Reply(UNAVAILABLE, body, error)
        return Reply(REFUSED, body, error)


def _json(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Agency(DependencyProvider):
    """Injects an AgencyApi for config TRAVEL.agency_url."""

    def setup(self):
        settings = parse(self.container.config)
        self.api = AgencyApi(settings.agency_url, settings.agency_timeout_seconds, settings.agency_api_secret)

    def get_dependency(self, worker_ctx):
        return self.api
