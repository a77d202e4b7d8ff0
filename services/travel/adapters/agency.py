"""The travel agency's booking API, over HTTP, as a dependency.

Every request carries an Idempotency-Key: a retry after a timeout cannot book
twice. The reply says whether the agency accepted, refused (it will not do
it: a 4xx), or could not be reached (try again later).
"""
import requests
from nameko.extensions import DependencyProvider

from services.travel.domain.agency import ACCEPTED, REFUSED, UNAVAILABLE, Reply
from services.travel.settings import parse


class AgencyApi:
    def __init__(self, base_url: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, action: str, order_id: str | None, idempotency_key: str, payload: dict) -> Reply:
        """book: POST /orders; change: POST /orders/<id>/changes; cancel: .../cancellation."""
        path = {"book": "/orders", "change": f"/orders/{order_id}/changes",
                "cancel": f"/orders/{order_id}/cancellation"}[action]
        try:
            response = requests.post(self.base_url + path, json=payload, timeout=self.timeout,
                                     headers={"Idempotency-Key": idempotency_key})
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
        self.api = AgencyApi(settings.agency_url, settings.agency_timeout_seconds)

    def get_dependency(self, worker_ctx):
        return self.api
