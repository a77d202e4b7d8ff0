"""A sandbox travel agency for local runs and tests: real HTTP both ways.

    python -m sandboxes.travel_agency --port 8102 --gateway http://127.0.0.1:8000

Booking API (every request needs an Idempotency-Key header and is signed by the client,
`Agency-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with the API secret; an unsigned
or badly signed one is a 401 invalid_signature):
  POST /orders                      book a flight or a hotel for a named passenger
                                    ({"passenger": {given_names, surname, date_of_birth,
                                    nationality}}; without one: 422 passenger_required) -> 202
  POST /orders/<id>/changes         new dates                -> 202
  POST /orders/<id>/cancellation    cancel                   -> 200 {status, fee_cents}
Each change is announced by a webhook posted to <gateway>/api/webhooks/travel, signed
`Agency-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`: order.confirmed,
order.schedule_changed, order.cancelled. Failed deliveries are retried.

Switches (flags at start, or POST /_sandbox/switches with JSON): duplicates, reorder,
delay_seconds, refuse_book, refuse_change, refuse_cancel, schedule_change_days.
POST /_sandbox/orders/<id>/schedule-change {"days": n} makes the airline move a flight, or the
hotel move a stay ({"check_in_days": a, "check_out_days": b}: a shorter stay leaves nights uncovered);
POST /_sandbox/orders/<id>/supplier-cancellation makes the airline or hotel cancel the order;
GET /_sandbox/orders?traveller_ref=<journey> lists orders and the calls made;
GET /_sandbox/deliveries lists each webhook copy delivered (or given up on).
"""
from dataclasses import asdict

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from sandboxes.base import JsonApp, QueuedDeliverer
from sandboxes.travel_agency.orders import BadRequest, OrderBook, Switches
from shared.webhooks import InvalidSignature, verify

SIGNATURE_HEADER = "Agency-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300
RULES = Map([
    Rule("/orders", methods=["POST"], endpoint="book"),
    Rule("/orders/<order_id>/changes", methods=["POST"], endpoint="change"),
    Rule("/orders/<order_id>/cancellation", methods=["POST"], endpoint="cancel"),
    Rule("/_sandbox/orders", methods=["GET"], endpoint="orders"),
    Rule("/_sandbox/orders/<order_id>/schedule-change", methods=["POST"], endpoint="move"),
    Rule("/_sandbox/orders/<order_id>/supplier-cancellation", methods=["POST"], endpoint="supplier_cancel"),
    Rule("/_sandbox/switches", methods=["POST"], endpoint="set_switches"),
    Rule("/_sandbox/deliveries", methods=["GET"], endpoint="deliveries"),
    Rule("/health", methods=["GET"], endpoint="health"),
])


class AgencyDeliverer(QueuedDeliverer):
    """One entry per webhook copy, once it is delivered or given up on (not per attempt)."""

    def entry(self, event: dict, attempt: int, status: int | None, final: bool) -> dict | None:
        if not final:
            return None
        return {"id": event["id"], "type": event["type"], "status": status,
                "order_id": event["data"].get("order_id")}


class SandboxAgency(JsonApp):
    """The WSGI application: the booking API, the switches, and signed webhooks to the gateway."""

    rules = RULES

    def __init__(self, gateway: str, secret: str, switches: Switches | None = None,
                 api_secrets: tuple[str, ...] | None = None):
        self.switches = switches or Switches()
        self.api_secrets = api_secrets   # the clients' request signing secrets (None: any secret)
        self.deliverer = AgencyDeliverer(gateway.rstrip("/") + "/api/webhooks/travel", secret,
                                         SIGNATURE_HEADER, self._delivery_switches,
                                         attempts=12, backoff=0.2, max_backoff=5.0)
        self.order_book = OrderBook(self.switches, self.deliverer.publish)

    def _delivery_switches(self) -> dict:
        return {"duplicates": 2 if self.switches.duplicates else 1, "reorder": self.switches.reorder,
                "delay_seconds": self.switches.delay_seconds}

    def error(self, exc: Exception) -> tuple[int, dict]:
        if isinstance(exc, InvalidSignature):
            return 401, {"error": "invalid_signature", "message": str(exc)}
        if isinstance(exc, BadRequest):
            return 422, {"error": exc.code, "message": str(exc)}
        if isinstance(exc, HTTPException):   # werkzeug's NotFound / MethodNotAllowed
            return super().error(exc)
        return 400, {"error": type(exc).__name__}   # a bad number in a switch, say

    def _order_request(self, action: str, request, body: dict, order_id: str | None) -> tuple[int, dict]:
        if self.api_secrets is not None:   # the passenger's identity travels only on a signed request
            verify(request.get_data(), request.headers.get(SIGNATURE_HEADER), self.api_secrets,
                   SIGNATURE_TOLERANCE_SECONDS)
        return self.order_book.handle(action, order_id, request.headers.get("Idempotency-Key"), body)

    def book(self, request, body):
        return self._order_request("book", request, body, None)

    def change(self, request, body, order_id):
        return self._order_request("change", request, body, order_id)

    def cancel(self, request, body, order_id):
        return self._order_request("cancel", request, body, order_id)

    def orders(self, request, body):
        return 200, self.order_book.snapshot(request.args.get("traveller_ref"))

    def move(self, request, body, order_id):
        hotel = {key: int(body.get(key, 0)) for key in ("check_in_days", "check_out_days")}
        days = int(body.get("days", 0 if any(hotel.values()) else 1))
        return 200, self.order_book.schedule_change(order_id, days, **hotel)

    def supplier_cancel(self, request, body, order_id):
        return 200, self.order_book.supplier_cancellation(order_id)

    def set_switches(self, request, body):
        with self.order_book.lock:
            self.switches.update(body)
        return 200, asdict(self.switches)

    def deliveries(self, request, body):
        return 200, {"deliveries": list(self.deliverer.deliveries), "queued": self.deliverer.queue.qsize()}
