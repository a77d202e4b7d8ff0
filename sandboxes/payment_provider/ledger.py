"""The sandbox provider's memory: payment intents, charges, refunds and the events they cause.

Objects and events have Stripe's shape (ids, amounts in cents, metadata), so the
gateway and the payments service cannot tell the sandbox from the real thing.
"""
import json
import secrets
import threading
import time


class SandboxError(Exception):
    """A request the real provider would refuse (400)."""


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def event(kind: str, obj: dict) -> dict:
    return {"id": new_id("evt"), "object": "event", "api_version": "2024-06-20", "type": kind,
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "data": {"object": dict(obj, metadata=dict(obj.get("metadata") or {}))}}


class Ledger:
    """Thread-safe state of the sandbox; every change returns the events it causes."""

    def __init__(self):
        self.lock = threading.RLock()
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.disputes: dict[str, dict] = {}
        self._idempotent: dict[str, tuple[str, dict]] = {}

    def idempotent(self, key: str | None, request: dict, make) -> tuple[dict, bool]:
        """Run `make` once per key; the same key with other parameters is refused, like Stripe."""
        fingerprint = json.dumps(request, sort_keys=True)
        with self.lock:
            if key and key in self._idempotent:
                seen, response = self._idempotent[key]
                if seen != fingerprint:
                    raise SandboxError("idempotency key reused with different parameters")
                return response, False
            response = make()
            if key:
                self._idempotent[key] = (fingerprint, response)
            return response, True

    def create_intent(self, amount: int, currency: str, metadata: dict, parent: str | None = None) -> dict:
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise SandboxError("amount must be a positive whole number of cents")
        intent = {"id": new_id("pi"), "object": "payment_intent", "amount": amount, "amount_received": 0,
                  "currency": currency, "status": "requires_payment_method", "latest_charge": None,
                  "last_payment_error": None, "metadata": dict(metadata)}
        if parent:
            intent["metadata"]["parent"] = parent
        intent["client_secret"] = f"{intent['id']}_secret_{secrets.token_hex(8)}"
        self.intents[intent["id"]] = intent
        return intent

    def intent(self, intent_id: str) -> dict:
        if intent_id not in self.intents:
            raise SandboxError(f"no such payment_intent: {intent_id}")
        return self.intents[intent_id]

    def succeed(self, intent: dict) -> tuple[dict, list[dict]]:
        charge = {"id": new_id("ch"), "object": "charge", "amount": intent["amount"],
                  "amount_captured": intent["amount"], "amount_refunded": 0, "refunded": False,
                  "paid": True, "status": "succeeded", "currency": intent["currency"],
                  "payment_intent": intent["id"], "metadata": dict(intent["metadata"])}
        self.charges[charge["id"]] = charge
        intent.update(status="succeeded", amount_received=intent["amount"], latest_charge=charge["id"],
                      last_payment_error=None)
        return charge, [event("payment_intent.succeeded", intent)]

    def fail(self, intent: dict, code: str) -> list[dict]:
        if intent["status"] != "succeeded":
            intent["status"] = "requires_payment_method"
        failed = dict(intent, last_payment_error={"code": "card_declined", "decline_code": code},
                      status="requires_payment_method")
        return [event("payment_intent.payment_failed", failed)]

    def refund(self, charge: dict, amount: int, metadata: dict | None = None) -> tuple[dict, list[dict]]:
        left = charge["amount_captured"] - charge["amount_refunded"]
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= left:
            raise SandboxError(f"amount must be between 1 and {left} cents")
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
        refund = {"id": new_id("re"), "object": "refund", "amount": amount, "status": "succeeded",
                  "charge": charge["id"], "payment_intent": charge["payment_intent"],
                  "metadata": dict(metadata or {})}
        return refund, [event("charge.refunded", charge)]

    def dispute(self, charge: dict, reason: str, evidence_days: float = 7) -> list[dict]:
        """The cardholder's bank disputes a charge; evidence is due within `evidence_days`."""
        dispute = {"id": new_id("dp"), "object": "dispute", "amount": charge["amount_captured"],
                   "charge": charge["id"], "payment_intent": charge["payment_intent"], "reason": reason,
                   "status": "needs_response", "currency": charge["currency"],
                   "evidence_details": {"due_by": int(time.time() + evidence_days * 86400),
                                        "has_evidence": False, "past_due": False, "submission_count": 0},
                   "metadata": dict(charge["metadata"])}
        self.disputes[dispute["id"]] = dispute
        return [event("charge.dispute.created", dispute)]

    def close_dispute(self, dispute_id: str, status: str) -> list[dict]:
        """The bank decided: won, lost, or warning_closed (an inquiry that never became a chargeback)."""
        dispute = self.disputes.get(dispute_id)
        if dispute is None:
            raise SandboxError(f"no such dispute: {dispute_id}")
        if status not in ("won", "lost", "warning_closed"):
            raise SandboxError("a dispute closes as won, lost or warning_closed")
        if dispute["status"] in ("won", "lost", "warning_closed"):
            raise SandboxError(f"dispute {dispute_id} is already closed ({dispute['status']})")
        dispute["status"] = status
        return [event("charge.dispute.closed", dispute)]

    def charge_of(self, intent_id: str) -> dict:
        charge_id = self.intent(intent_id)["latest_charge"]
        if not charge_id:
            raise SandboxError(f"payment_intent {intent_id} has no successful charge")
        return self.charges[charge_id]

    def pay(self, intent: dict, instalments: list[int], fail_first: str | None) -> tuple[dict, list[dict]]:
        """Pay an intent at once, or in instalments (each its own intent, as a new card payment).

        Returns the last charge and the events caused.
        """
        events = self.fail(intent, fail_first) if fail_first else []
        if instalments == [intent["amount"]] and intent["status"] != "succeeded":
            charge, caused = self.succeed(intent)
            return charge, events + caused
        charge = None
        for cents in instalments:
            part = self.create_intent(cents, intent["currency"], intent["metadata"], parent=intent["id"])
            charge, caused = self.succeed(part)
            events += caused
        intent["amount_received"] += sum(instalments)
        return charge, events
