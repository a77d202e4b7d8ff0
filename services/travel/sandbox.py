"""A sandbox travel agency for local runs and tests: real HTTP both ways.

    python -m services.travel.sandbox --port 8102 --gateway http://127.0.0.1:8000

Booking API (every request needs an Idempotency-Key header):
  POST /orders                      book a flight or a hotel -> 202 {order_id}
  POST /orders/<id>/changes         new dates                -> 202
  POST /orders/<id>/cancellation    cancel                   -> 200 {status, fee_cents}
Each change is announced by a webhook posted to <gateway>/api/webhooks/travel, signed
`Agency-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`: order.confirmed,
order.schedule_changed, order.cancelled. Failed deliveries are retried.

Switches (flags at start, or POST /_sandbox/switches with JSON): duplicates, reorder,
delay_seconds, refuse_book, refuse_change, refuse_cancel, schedule_change_days.
POST /_sandbox/orders/<id>/schedule-change {"days": n} makes the airline move a flight;
GET /_sandbox/orders?traveller_ref=<journey> lists orders and the calls made.
"""
import argparse
import hashlib
import hmac
import json
import logging
import os
import queue
import threading
import time
from dataclasses import asdict

import requests
from werkzeug.routing import Map, Rule
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

from services.travel.sandbox_orders import BadRequest, OrderBook, Switches

log = logging.getLogger("travel-sandbox")
DEFAULT_SECRET = "travel_local_sandbox_secret"
SIGNATURE_HEADER = "Agency-Signature"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The Agency-Signature header value for a body."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


class Deliverer:
    """Posts webhook events to the gateway in a thread of its own, honouring the switches."""

    def __init__(self, url: str, secret: str, switches: Switches, attempts: int = 6):
        self.url, self.secret, self.switches, self.attempts = url, secret, switches, attempts
        self.queue: queue.Queue = queue.Queue()
        self.delivered: list[dict] = []
        threading.Thread(target=self._run, daemon=True, name="webhooks").start()

    def publish(self, event: dict) -> None:
        self.queue.put(event)

    def _run(self) -> None:
        held = None   # with `reorder`, an event waits for the next one and goes after it
        while True:
            try:
                event = self.queue.get(timeout=0.5 if held else None)
            except queue.Empty:   # nothing came after it: it goes alone
                self._deliver(held)
                held = None
                continue
            if self.switches.reorder and held is None:
                held = event
                continue
            self._deliver(event)
            if held is not None:
                self._deliver(held)
                held = None

    def _deliver(self, event: dict) -> None:
        time.sleep(self.switches.delay_seconds)
        body = json.dumps(event).encode()
        for _copy in range(2 if self.switches.duplicates else 1):
            status = None
            for attempt in range(self.attempts):
                try:
                    response = requests.post(self.url, data=body, timeout=10, headers={
                        "Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, body)})
                    status = response.status_code
                    if status < 300:
                        break
                except requests.RequestException as exc:
                    status = type(exc).__name__
                time.sleep(min(0.2 * 2 ** attempt, 5))
            self.delivered.append({"id": event["id"], "type": event["type"], "status": status,
                                   "order_id": event["data"].get("order_id")})


class SandboxAgency:
    """The WSGI application."""

    def __init__(self, gateway: str, secret: str, switches: Switches | None = None):
        self.switches = switches or Switches()
        self.deliverer = Deliverer(gateway.rstrip("/") + "/api/webhooks/travel", secret, self.switches)
        self.book = OrderBook(self.switches, self.deliverer.publish)
        self.routes = Map([
            Rule("/orders", methods=["POST"], endpoint="book"),
            Rule("/orders/<order_id>/changes", methods=["POST"], endpoint="change"),
            Rule("/orders/<order_id>/cancellation", methods=["POST"], endpoint="cancel"),
            Rule("/_sandbox/orders", methods=["GET"], endpoint="orders"),
            Rule("/_sandbox/orders/<order_id>/schedule-change", methods=["POST"], endpoint="move"),
            Rule("/_sandbox/switches", methods=["POST"], endpoint="switches"),
            Rule("/_sandbox/deliveries", methods=["GET"], endpoint="deliveries"),
            Rule("/health", methods=["GET"], endpoint="health"),
        ])

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            endpoint, args = self.routes.bind_to_environ(environ).match()
            status, body = self.dispatch(endpoint, request, **args)
        except BadRequest as exc:
            status, body = 422, {"error": "invalid_request", "message": str(exc)}
        except Exception as exc:   # werkzeug's NotFound / MethodNotAllowed and bad JSON
            status, body = getattr(exc, "code", 400), {"error": type(exc).__name__}
        response = Response(json.dumps(body), status=status, content_type="application/json")
        return response(environ, start_response)

    def dispatch(self, endpoint: str, request: Request, order_id: str | None = None) -> tuple[int, dict]:
        if endpoint in ("book", "change", "cancel"):
            payload = request.get_json(force=True, silent=True) or {}
            return self.book.handle(endpoint, order_id, request.headers.get("Idempotency-Key"), payload)
        if endpoint == "orders":
            return 200, self.book.snapshot(request.args.get("traveller_ref"))
        if endpoint == "move":
            days = int((request.get_json(force=True, silent=True) or {}).get("days", 1))
            return 200, self.book.schedule_change(order_id, days)
        if endpoint == "switches":
            with self.book.lock:
                self.switches.update(request.get_json(force=True, silent=True) or {})
            return 200, asdict(self.switches)
        if endpoint == "deliveries":
            return 200, {"deliveries": list(self.deliverer.delivered), "queued": self.deliverer.queue.qsize()}
        return 200, {"status": "live"}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--secret", help="webhook signing secret (default: first of TRAVEL_WEBHOOK_SECRETS)",
                        default=os.environ.get("TRAVEL_WEBHOOK_SECRETS", DEFAULT_SECRET).split(",")[0])
    for flag in ("duplicates", "reorder", "refuse-book", "refuse-change", "refuse-cancel"):
        parser.add_argument(f"--{flag}", action="store_true")
    parser.add_argument("--delay-seconds", type=float, default=0.0)
    parser.add_argument("--schedule-change-days", type=int, default=0)
    args = parser.parse_args(argv)
    switches = Switches()
    switches.update({k: v for k, v in vars(args).items() if k not in ("host", "port", "gateway", "secret")})
    logging.basicConfig(level=logging.INFO)
    run_simple(args.host, args.port, SandboxAgency(args.gateway, args.secret, switches), threaded=True)


if __name__ == "__main__":
    main()
