"""Hosted checkout in Stripe Checkout's model: sessions created over the API, paid on a page of ours.

A session (`checkout.session`, mode `payment`) is created with line items, metadata,
`payment_intent_data.metadata`, a `success_url` (its `{CHECKOUT_SESSION_ID}` filled in on the
way back) and a `cancel_url`. It is `open` until paid (`complete`, with the payment intent
it made) or expired. Paying sends what Stripe sends: `payment_intent.succeeded` (the
intent's metadata is `payment_intent_data.metadata`) and `checkout.session.completed` (the
session's own metadata, `payment_status: paid`); a declined card sends
`payment_intent.payment_failed` and the session stays open; expiring sends
`checkout.session.expired`.
"""
import time
from urllib.parse import urlsplit

from sandboxes.payment_provider.ledger import Ledger, SandboxError, event, new_id

SESSION_TEMPLATE = "{CHECKOUT_SESSION_ID}"
DEFAULT_LIFETIME = 24 * 3600      # Stripe: 24 hours unless expires_at says otherwise
LIFETIME = (30 * 60, 24 * 3600)   # what expires_at may ask for, from now


class Checkouts:
    """The sandbox's checkout sessions, kept beside (and locked with) the ledger's intents."""

    def __init__(self, ledger: Ledger, public_url: str):
        self.ledger, self.public_url = ledger, public_url.rstrip("/")
        self.sessions: dict[str, dict] = {}
        self._intent_metadata: dict[str, dict] = {}

    def create(self, body: dict) -> dict:
        """A new open session for the request's line items (Stripe's create parameters)."""
        if body.get("mode", "payment") != "payment":
            raise SandboxError("only mode=payment is supported by the sandbox")
        currency, amount = _total(body.get("line_items"))
        now = int(time.time())
        expires_at = body.get("expires_at", now + DEFAULT_LIFETIME)
        if not isinstance(expires_at, int) or not LIFETIME[0] <= expires_at - now <= LIFETIME[1]:
            raise SandboxError("expires_at must be between 30 minutes and 24 hours from now")
        session_id = new_id("cs_test")
        session = {
            "id": session_id, "object": "checkout.session", "mode": "payment", "livemode": False,
            "amount_subtotal": amount, "amount_total": amount, "currency": currency,
            "status": "open", "payment_status": "unpaid", "payment_intent": None,
            "url": f"{self.public_url}/c/pay/{session_id}",
            "success_url": _url(body, "success_url"), "cancel_url": _url(body, "cancel_url"),
            "client_reference_id": _short(body.get("client_reference_id")),
            "locale": _short(body.get("locale")), "metadata": _metadata(body.get("metadata")),
            "created": now, "expires_at": expires_at,
            "line_items": [dict(item) for item in body["line_items"]],
        }
        self.sessions[session_id] = session
        self._intent_metadata[session_id] = _metadata((body.get("payment_intent_data") or {}).get("metadata"))
        return session

    def session(self, session_id: str) -> dict:
        found = self.sessions.get(session_id)
        if found is None:
            raise SandboxError(f"no such checkout.session: {session_id}")
        if found["status"] == "open" and found["expires_at"] <= time.time():
            found.update(status="expired", url=None)
        return found

    def pay(self, session_id: str) -> list[dict]:
        """The payer completed the page: the payment succeeds; the events a provider sends."""
        session = self._open(session_id)
        intent = self._intent(session)
        _charge, events = self.ledger.succeed(intent)
        session.update(status="complete", payment_status="paid", url=None)
        return events + [event("checkout.session.completed", session)]

    def decline(self, session_id: str, code: str = "card_declined") -> list[dict]:
        """The payer's card was declined: the session stays open for another try."""
        return self.ledger.fail(self._intent(self._open(session_id)), code)

    def expire(self, session_id: str) -> tuple[dict, list[dict]]:
        """Expire an open session (POST /v1/checkout/sessions/<id>/expire)."""
        session = self._open(session_id)
        session.update(status="expired", url=None)
        return session, [event("checkout.session.expired", session)]

    def return_url(self, session: dict) -> str:
        return session["success_url"].replace(SESSION_TEMPLATE, session["id"])

    def _open(self, session_id: str) -> dict:
        session = self.session(session_id)
        if session["status"] != "open":
            raise SandboxError(f"checkout.session {session_id} is {session['status']}, not open")
        return session

    def _intent(self, session: dict) -> dict:
        """The session's payment intent, made at the first attempt to pay (as Stripe does)."""
        if session["payment_intent"] is None:
            intent = self.ledger.create_intent(session["amount_total"], session["currency"],
                                               self._intent_metadata[session["id"]])
            session["payment_intent"] = intent["id"]
        return self.ledger.intent(session["payment_intent"])


def _total(items) -> tuple[str, int]:
    if not isinstance(items, list) or not items:
        raise SandboxError("line_items must list at least one item")
    currencies, total = set(), 0
    for item in items:
        price = item.get("price_data") if isinstance(item, dict) else None
        if not isinstance(price, dict):
            raise SandboxError("each line item needs price_data (the sandbox keeps no price catalogue)")
        amount, quantity = price.get("unit_amount"), item.get("quantity", 1)
        for value, name in ((amount, "unit_amount"), (quantity, "quantity")):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise SandboxError(f"{name} must be a positive whole number")
        currencies.add(str(price.get("currency", "")).lower())
        total += amount * quantity
    if len(currencies) != 1 or not next(iter(currencies)):
        raise SandboxError("every line item needs the same currency")
    return currencies.pop(), total


def _url(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") or len(value) > 2048:
        raise SandboxError(f"{name} must be an http(s) URL")
    return value


def _metadata(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > 50:
        raise SandboxError("metadata must be an object of at most 50 keys")
    return {str(k)[:40]: str(v)[:500] for k, v in value.items()}


def _short(value) -> str | None:
    return str(value)[:200] if value is not None else None
