"""Inputs the payments tests build: accepted patients and provider events in Stripe's shape."""
import json
import secrets
import time

import stripe


def accepted_payload(**overrides) -> dict:
    payload = {"enquiry_id": "enq-1", "earliest_surgery_date": None, "amputation_level": "transfemoral",
               "amputation_side": "left", "body_weight_kg": "82.5", "preferred_language": "en",
               "country": "NO"}
    payload.update(overrides)
    return payload


def _meta(invoice) -> dict:
    return {"invoice_id": invoice.id, "journey_id": invoice.journey_id}


def _event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{secrets.token_hex(10)}", "object": "event", "type": kind,
            "created": int(time.time()), "livemode": False, "data": {"object": obj}}


def succeeded(invoice, amount: int, intent: str | None = None) -> dict:
    intent = intent or f"pi_{secrets.token_hex(8)}"
    return _event("payment_intent.succeeded", {
        "id": intent, "object": "payment_intent", "amount": amount, "amount_received": amount,
        "currency": "eur", "status": "succeeded", "latest_charge": f"ch_{intent[3:]}",
        "metadata": _meta(invoice)})


def failed(invoice, intent: str, amount: int, code: str = "insufficient_funds") -> dict:
    return _event("payment_intent.payment_failed", {
        "id": intent, "object": "payment_intent", "amount": amount, "amount_received": 0, "currency": "eur",
        "status": "requires_payment_method", "metadata": _meta(invoice),
        "last_payment_error": {"code": "card_declined", "decline_code": code}})


def refunded(invoice, intent: str, amount: int, refunded_total: int) -> dict:
    return _event("charge.refunded", {
        "id": f"ch_{intent[3:]}", "object": "charge", "amount": amount, "amount_captured": amount,
        "amount_refunded": refunded_total, "refunded": refunded_total == amount, "payment_intent": intent,
        "currency": "eur", "metadata": _meta(invoice)})


def disputed(invoice, intent: str, amount: int, *, dispute_id: str | None = None,
             due_by: int | None = None) -> dict:
    return _event("charge.dispute.created", _dispute(invoice, intent, amount, dispute_id, due_by,
                                                     "needs_response"))


def dispute_closed(invoice, intent: str, amount: int, status: str, *, dispute_id: str | None = None,
                   due_by: int | None = None) -> dict:
    """A dispute the bank decided: status won, lost or warning_closed."""
    return _event("charge.dispute.closed", _dispute(invoice, intent, amount, dispute_id, due_by, status))


def _dispute(invoice, intent: str, amount: int, dispute_id: str | None, due_by: int | None,
             status: str) -> dict:
    """Stripe's dispute object (invoice None: no metadata, so it reaches its invoice by the payment)."""
    return {"id": dispute_id or f"dp_{secrets.token_hex(8)}", "object": "dispute", "amount": amount,
            "charge": f"ch_{intent[3:]}", "payment_intent": intent, "reason": "fraudulent", "status": status,
            "evidence_details": {"due_by": due_by or int(time.time()) + 14 * 86400, "has_evidence": False},
            "metadata": {} if invoice is None else _meta(invoice)}


def signed(event: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers the provider would post."""
    body = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)
    return body.encode(), {"Content-Type": "application/json", "Stripe-Signature": header}


def checkout_completed(invoice, amount: int, intent: str, session: str = "cs_test_1",
                       payment_status: str = "paid", kind: str = "deposit") -> dict:
    """Stripe's checkout.session.completed for a hosted checkout that made the payment `intent`."""
    return _event("checkout.session.completed", {
        "id": session, "object": "checkout.session", "mode": "payment", "status": "complete",
        "payment_status": payment_status, "payment_intent": intent, "amount_total": amount,
        "amount_subtotal": amount, "currency": "eur", "customer_details": {"email": "a@example.org"},
        "metadata": dict(_meta(invoice), kind=kind)})
