"""Posting signed webhooks to the gateway, the way the provider does: retried, maybe twice, late."""
import json
import logging
import threading
import time

import requests
import stripe

log = logging.getLogger(__name__)


def sign(body: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">."""
    return stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)


class Deliverer:
    """Sends events in a background thread, with the switches a test or a person set."""

    def __init__(self, endpoint: str, secret: str, attempts: int = 5):
        self.endpoint = endpoint
        self.secret = secret
        self.attempts = attempts
        self.deliveries: list[dict] = []
        self._lock = threading.Lock()
        self._pending = 0

    def send(self, events: list[dict], *, duplicates: int = 1, reorder: bool = False,
             delay_seconds: float = 0.0) -> None:
        ordered = list(reversed(events)) if reorder else list(events)
        with self._lock:
            self._pending += 1
        threading.Thread(target=self._run, args=(ordered, max(1, duplicates), delay_seconds),
                         daemon=True).start()

    def idle(self) -> bool:
        with self._lock:
            return self._pending == 0

    def _run(self, events, duplicates, delay_seconds) -> None:
        try:
            time.sleep(max(0.0, delay_seconds))
            for event in events:
                body = json.dumps(event)
                for _ in range(duplicates):
                    self._deliver(event, body)
        finally:
            with self._lock:
                self._pending -= 1

    def _deliver(self, event: dict, body: str) -> None:
        for attempt in range(1, self.attempts + 1):
            status = self._post(body)
            with self._lock:
                self.deliveries.append({"event_id": event["id"], "type": event["type"],
                                        "attempt": attempt, "status": status})
            if status is not None and 200 <= status < 300:
                return
            time.sleep(min(0.25 * 2 ** attempt, 5.0))
        log.warning("gave up delivering %s after %d attempts", event["id"], self.attempts)

    def _post(self, body: str) -> int | None:
        headers = {"Content-Type": "application/json", "Stripe-Signature": sign(body, self.secret)}
        try:
            return requests.post(self.endpoint, data=body.encode(), headers=headers, timeout=10).status_code
        except requests.RequestException:
            return None
