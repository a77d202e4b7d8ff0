"""Provider events (Stripe's model) read into small facts: ids, amounts and codes only.

The gateway has verified the signature. Only what the ledger needs is kept, so
no billing details (names, emails, addresses) are ever stored.
"""
import uuid
from dataclasses import dataclass

from shared.errors import Invalid

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
REFUNDED = "charge.refunded"
DISPUTED = "charge.dispute.created"
DISPUTE_CLOSED = "charge.dispute.closed"
# A hosted checkout paid (its payment intent's own payment_intent.succeeded says the same of the same
# intent: both merge into one payment); async_payment_succeeded follows a "completed, unpaid" one.
CHECKOUT_COMPLETED = "checkout.session.completed"
CHECKOUT_ASYNC_PAID = "checkout.session.async_payment_succeeded"
CHECKOUT = (CHECKOUT_COMPLETED, CHECKOUT_ASYNC_PAID)
HANDLED = (SUCCEEDED, FAILED, REFUNDED, DISPUTED, DISPUTE_CLOSED, *CHECKOUT)


@dataclass(frozen=True)
class Fact:
    event_id: str
    type: str
    created: int
    object_id: str
    payment_ref: str | None      # the payment intent the event is about
    amount_cents: int            # received, charged or disputed
    refunded_cents: int = 0      # the charge's refunded total so far
    code: str | None = None      # failure code or dispute reason
    invoice_id: str | None = None
    journey_id: str | None = None
    due_by: int | None = None    # a dispute's evidence deadline (unix seconds)
    status: str | None = None    # a closed dispute's status (won, lost, warning_closed);
    #                              a checkout session's payment_status (paid, unpaid, no_payment_required)


def read(event: dict) -> Fact | None:
    """The fact an event states, or None for event types the ledger does not use."""
    if not isinstance(event, dict):
        raise Invalid("a provider event must be an object")
    event_id, kind = _text(event, "id"), _text(event, "type")
    if kind not in HANDLED:
        return None
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise Invalid("the event has no data.object", fields={"data": ["missing object"]})
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    common = {"event_id": event_id, "type": kind, "created": _int(event, "created", 0),
              "object_id": _text(obj, "id"), "invoice_id": _uuid(meta.get("invoice_id")),
              "journey_id": _uuid(meta.get("journey_id"))}
    if kind == SUCCEEDED:
        received = _int(obj, "amount_received", None)
        return Fact(payment_ref=obj["id"], amount_cents=_int(obj, "amount") if received is None else received,
                    **common)
    if kind in CHECKOUT:
        total = _int(obj, "amount_total", None) or 0
        return Fact(payment_ref=_ref(obj.get("payment_intent")), amount_cents=total,
                    status=str(obj.get("payment_status") or "unpaid")[:30], **common)
    if kind == FAILED:
        error = obj.get("last_payment_error") if isinstance(obj.get("last_payment_error"), dict) else {}
        code = error.get("decline_code") or error.get("code") or "payment_failed"
        return Fact(payment_ref=obj["id"], amount_cents=_int(obj, "amount"), code=str(code)[:60], **common)
    if kind == REFUNDED:
        captured = _int(obj, "amount_captured", None)
        return Fact(payment_ref=obj.get("payment_intent") or obj["id"],
                    amount_cents=_int(obj, "amount") if captured is None else captured,
                    refunded_cents=_int(obj, "amount_refunded"), **common)
    evidence = obj.get("evidence_details") if isinstance(obj.get("evidence_details"), dict) else {}
    status = str(obj.get("status") or "unknown")[:30] if kind == DISPUTE_CLOSED else None
    return Fact(payment_ref=_ref(obj.get("payment_intent")), amount_cents=_int(obj, "amount"),
                code=str(obj.get("reason") or "unknown")[:60], due_by=_int(evidence, "due_by", None),
                status=status, **common)


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value or len(value) > 100:
        raise Invalid(f"the event's {key} must be a short string", fields={key: ["invalid"]})
    return value


def _int(obj: dict, key: str, default: int | None = 0) -> int | None:
    value = obj.get(key, default)
    if value is default:
        return default
    # No real amount (cents) or timestamp (seconds) comes near 10**12; past 2**63 the column overflows.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**12:
        raise Invalid(f"{key} must be a whole number of cents", fields={key: ["invalid"]})
    return value


def _ref(value: object) -> str | None:
    """A provider object id (Stripe may expand it into the object itself)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and 0 < len(value) <= 100 else None


def _uuid(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value))) if value else None
    except ValueError:
        return None


def why_unmatched(*, journey_id: str | None, invoice_id: str | None, payment_ref: str | None) -> str:
    """Why an event set aside matched no invoice, in a sentence for finance (no personal data)."""
    if journey_id:
        return "No invoice has been issued for the journey its metadata names."
    if invoice_id:
        return "Its metadata names an invoice that was never issued."
    if payment_ref:
        return "It is about a payment no invoice asked for, and carries no invoice reference."
    return "It carries no invoice, journey or payment reference."
