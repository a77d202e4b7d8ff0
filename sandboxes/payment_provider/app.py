"""A local payment provider in Stripe's model, so Carepath runs and is tested without the internet.

    python -m sandboxes.payment_provider --port 8101 --gateway http://127.0.0.1:8000

Provider API (JSON; what the payments service calls, with an Idempotency-Key header):
  POST /v1/payment_intents {amount, currency, metadata}        a payment request
  GET  /v1/payment_intents/<id>
  POST /v1/refunds {payment_intent, amount, metadata}          charge.refunded follows
  POST /v1/checkout/sessions {mode, line_items: [{price_data: {currency, unit_amount, product_data},
       quantity}], metadata, payment_intent_data: {metadata}, success_url, cancel_url, locale,
       client_reference_id, expires_at}                         a hosted checkout (its `url`)
  GET  /v1/checkout/sessions/<id>     POST /v1/checkout/sessions/<id>/expire
Hosted checkout page (HTML, for the payer's browser; see hosted.py): GET /c/pay/<session id>
Switches (JSON bodies, every field optional):
  POST /sandbox/payment_intents/<id>/pay  {amount, instalments: n | [cents, ...], fail_first: code,
       refund_cents, dispute: reason, duplicates: n, reorder: bool, delay_seconds: s}
  POST /sandbox/payment_intents/<id>/fail {code, duplicates, delay_seconds}
  POST /sandbox/payment_intents/<id>/refund {amount, duplicates, reorder, delay_seconds}
  POST /sandbox/payment_intents/<id>/dispute {reason, evidence_days, duplicates, delay_seconds}
       the bank disputes the latest charge (charge.dispute.created, evidence due in evidence_days)
  POST /sandbox/disputes/<id>/close {outcome: won | lost | warning_closed, duplicates, delay_seconds}
  POST /sandbox/switches {auto_pay, duplicates, reorder, delay_seconds}   defaults for what follows
  GET  /sandbox/payment_intents   GET /sandbox/deliveries   GET /health
"""
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, Rule

from sandboxes.base import DELIVERY_SWITCHES, Deliverer, JsonApp
from sandboxes.payment_provider.checkout import Checkouts
from sandboxes.payment_provider.hosted import HostedCheckout
from sandboxes.payment_provider.ledger import Ledger, SandboxError

SIGNATURE_HEADER = "Stripe-Signature"
RULES = Map([
    Rule("/v1/payment_intents", methods=["POST"], endpoint="create_intent"),
    Rule("/v1/payment_intents/<intent_id>", methods=["GET"], endpoint="get_intent"),
    Rule("/v1/refunds", methods=["POST"], endpoint="create_refund"),
    Rule("/v1/checkout/sessions", methods=["POST"], endpoint="create_checkout"),
    Rule("/v1/checkout/sessions/<session_id>", methods=["GET"], endpoint="get_checkout"),
    Rule("/v1/checkout/sessions/<session_id>/expire", methods=["POST"], endpoint="expire_checkout"),
    Rule("/sandbox/payment_intents", methods=["GET"], endpoint="list_intents"),
    Rule("/sandbox/payment_intents/<intent_id>/<action>", methods=["POST"], endpoint="switch"),
    Rule("/sandbox/disputes/<dispute_id>/close", methods=["POST"], endpoint="close_dispute"),
    Rule("/sandbox/switches", methods=["POST"], endpoint="set_switches"),
    Rule("/sandbox/deliveries", methods=["GET"], endpoint="deliveries"),
    Rule("/health", methods=["GET"], endpoint="health"),
])


class Sandbox(JsonApp):
    """The WSGI app: provider API, switches, and signed webhooks back to the gateway."""

    rules = RULES

    def __init__(self, gateway: str, secret: str, public_url: str = "http://127.0.0.1:8101"):
        self.ledger = Ledger()
        self.checkouts = Checkouts(self.ledger, public_url)   # public_url: where payers' browsers reach us
        self.hosted = HostedCheckout(self)
        # Providers retry for hours; a dozen tries over about 40 s outlast a broker restart mid-delivery.
        self.deliverer = Deliverer(gateway.rstrip("/") + "/api/webhooks/payments", secret, SIGNATURE_HEADER,
                                   attempts=12)
        self.switches = {"auto_pay": False, "duplicates": 1, "reorder": False, "delay_seconds": 0.0}

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/c/pay/"):   # the payer's page: HTML, not JSON
            return self.hosted(environ, start_response)
        return super().__call__(environ, start_response)

    def error(self, exc: Exception) -> tuple[int, dict]:
        if isinstance(exc, SandboxError | ValueError | TypeError):  # what Stripe would answer with a 400
            return 400, self.error_body(exc, str(exc))
        return super().error(exc)

    def error_body(self, exc: Exception, message: str) -> dict:
        return {"error": {"type": "invalid_request_error", "message": message}}

    def _send(self, events: list[dict], options: dict) -> None:
        chosen = {name: options.get(name, self.switches[name]) for name in DELIVERY_SWITCHES}
        self.deliverer.send(events, duplicates=int(chosen["duplicates"]), reorder=bool(chosen["reorder"]),
                            delay_seconds=float(chosen["delay_seconds"]))

    def create_intent(self, request, body):
        def make():
            return self.ledger.create_intent(body.get("amount"), str(body.get("currency", "eur")),
                                             dict(body.get("metadata") or {}))
        intent, created = self.ledger.idempotent(request.headers.get("Idempotency-Key"),
                                                 {"path": "intents", **body}, make)
        if created and self.switches["auto_pay"]:
            self.switch(request, {}, intent["id"], "pay")
        return 200, intent

    def get_intent(self, request, body, intent_id):
        return 200, self.ledger.intent(intent_id)

    def create_refund(self, request, body):
        events = []

        def make():
            charge = self.ledger.charge_of(str(body.get("payment_intent")))
            refund, caused = self.ledger.refund(charge, body.get("amount"), body.get("metadata"))
            events.extend(caused)
            return refund
        refund, _ = self.ledger.idempotent(request.headers.get("Idempotency-Key"),
                                           {"path": "refunds", **body}, make)
        self._send(events, {})
        return 200, refund

    def create_checkout(self, request, body):
        with self.ledger.lock:
            key = request.headers.get("Idempotency-Key")
            session, _ = self.ledger.idempotent(key, {"path": "checkout", **body},
                                                lambda: self.checkouts.create(body))
            return 200, self.checkouts.session(session["id"])

    def get_checkout(self, request, body, session_id):
        with self.ledger.lock:
            return 200, self.checkouts.session(session_id)

    def expire_checkout(self, request, body, session_id):
        with self.ledger.lock:
            session, events = self.checkouts.expire(session_id)
        self._send(events, {})
        return 200, session

    def switch(self, request, body, intent_id, action):
        with self.ledger.lock:
            intent = self.ledger.intent(intent_id)
            if action == "pay":
                events = self._pay(intent, body)
            elif action == "fail":
                events = self.ledger.fail(intent, str(body.get("code", "card_declined")))
            elif action == "refund":
                charge = self.ledger.charge_of(intent_id)
                events = self.ledger.refund(charge, body.get("amount", charge["amount_captured"]))[1]
            elif action == "dispute":
                events = self.ledger.dispute(self.ledger.charge_of(intent_id),
                                             str(body.get("reason", "fraudulent")),
                                             float(body.get("evidence_days", 7)))
            else:
                raise NotFound()
        self._send(events, body)
        return 200, {"intent": intent, "events": [{"id": e["id"], "type": e["type"]} for e in events]}

    def _pay(self, intent: dict, body: dict) -> list[dict]:
        amount = int(body.get("amount", intent["amount"]))
        instalments = body.get("instalments", 1)
        if isinstance(instalments, int):
            share, rest = divmod(amount, max(1, instalments))
            instalments = [share] * (instalments - 1) + [share + rest]
        last, events = self.ledger.pay(intent, [int(cents) for cents in instalments], body.get("fail_first"))
        if body.get("refund_cents"):
            events += self.ledger.refund(last, int(body["refund_cents"]))[1]
        if body.get("dispute"):
            events += self.ledger.dispute(last, str(body["dispute"]))
        return events

    def close_dispute(self, request, body, dispute_id):
        with self.ledger.lock:
            events = self.ledger.close_dispute(dispute_id, str(body.get("outcome", "")))
        self._send(events, body)
        return 200, {"dispute": self.ledger.disputes[dispute_id],
                     "events": [{"id": e["id"], "type": e["type"]} for e in events]}

    def list_intents(self, request, body):
        with self.ledger.lock:
            return 200, list(self.ledger.intents.values())

    def set_switches(self, request, body):
        self.switches.update({k: v for k, v in body.items() if k in self.switches})
        return 200, self.switches

    def deliveries(self, request, body):
        return 200, {"idle": self.deliverer.idle(), "deliveries": list(self.deliverer.deliveries)}
