"""The patient pays the deposit or the balance through the provider's hosted checkout.

`start_checkout` makes a checkout session for what the part asks now, or reuses the open one
asking exactly that (the provider is asked whether it is still open: it alone knows whether the
payer finished or it expired). It runs under the invoice's lock, so a double click or two tabs
make one session; the idempotency key is derived from the invoice, the part, how many sessions
came before and the request, so a retried call gets the same session back.

The money is counted only from the provider's webhooks (settlement.apply_fact); `checkout_status`
says "received" once they have been applied, never on the payer's word (the return address).
"""
import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select

from services.payments.adapters.provider import CheckoutRequest, ProviderError
from services.payments.domain import checkout as rules
from services.payments.handlers import books
from services.payments.models import CheckoutSession, Invoice
from shared.clock import ClinicClock, aware
from shared.errors import Conflict, NotFound, Unavailable

RECEIVED, WAITING, EXPIRED = "received", "waiting", "expired"
UNREACHABLE = ("The payment provider cannot be reached just now; nothing was charged. Please try again "
               "in a few minutes.")


def payment_overview(uow, journey_id: str) -> dict:
    """The invoice's deposit and balance as the patient sees them: amounts, due dates, what is left."""
    with uow:
        book = _book(uow.session, journey_id, lock=False)
        return {"currency": book.invoice.currency, "cancelled": book.invoice.cancelled_at is not None,
                "parts": rules.parts(book.ledger(), _invoiced(book.invoice))}


def start_checkout(uow, clock: ClinicClock, provider, journey_id: str, form: dict) -> dict:
    """A checkout session for the part (new, or the open one reused); its provider page is `url`.

    A session the payer has completed whose webhooks are not applied yet is answered instead
    (status complete): a second payment is never offered while the first is being confirmed.
    """
    part = form["part"]
    with uow:
        book = _book(uow.session, journey_id, lock=True)
        invoice = book.invoice
        try:
            amount = rules.payable_cents(book.ledger(), _invoiced(invoice), part)
        except ValueError as exc:
            raise Conflict(str(exc), part=part) from None
        earlier = uow.session.scalars(select(CheckoutSession).where(
            CheckoutSession.invoice_id == invoice.id, CheckoutSession.part == part)
            .order_by(CheckoutSession.created_at)).all()
        try:
            for row in reversed(earlier):
                found = _settle_earlier(provider, row, amount)
                if found is not None:
                    return found
            request = CheckoutRequest(
                amount_cents=amount, currency=invoice.currency, description=form["description"],
                metadata={"invoice_id": invoice.id, "journey_id": journey_id, "kind": part},
                success_url=form["success_url"], cancel_url=form["cancel_url"], locale=form["language"])
            key = _key(invoice.id, part, len(earlier), request)
            created = provider.create_checkout(idempotency_key=key, request=request)
        except ProviderError:   # an outage, not the invoice's state: the caller may try again (503)
            raise Unavailable(UNREACHABLE, retry_after_seconds=60, part=part) from None
        row = CheckoutSession(id=created.id, invoice_id=invoice.id, part=part, amount_cents=amount,
                              currency=invoice.currency, url=created.url, status=rules.OPEN,
                              idempotency_key=key, expires_at=_instant(created.expires_at),
                              created_at=clock.now())
        uow.session.add(row)
        return _started(row, reused=False)


def checkout_status(uow, journey_id: str, session_id: str) -> dict:
    """Whether the payment of one checkout session has been received (its webhook applied)."""
    with uow:
        book = _book(uow.session, journey_id, lock=False)
        row = uow.session.get(CheckoutSession, session_id)
        if row is None or row.invoice_id != book.invoice.id:
            raise NotFound("There is no such payment for this journey.", checkout_session_id=session_id)
        invoice = book.invoice
        part_paid = (invoice.deposit_paid_at if row.part == rules.DEPOSIT else invoice.paid_at) is not None
        state = RECEIVED if row.confirmed_at or part_paid else EXPIRED if row.status == rules.EXPIRED \
            else WAITING
        return {"checkout_session_id": row.id, "part": row.part, "amount_cents": row.amount_cents,
                "currency": row.currency, "state": state, "confirmed_at": row.confirmed_at}


def confirm(session, fact, now) -> CheckoutSession | None:
    """A checkout.session webhook is being applied: the session is complete, and paid if it says so."""
    row = session.get(CheckoutSession, fact.object_id)
    if row is None:
        return None
    row.status, row.url, row.payment_ref = rules.COMPLETE, None, fact.payment_ref or row.payment_ref
    if fact.status == "paid" and row.confirmed_at is None:
        row.confirmed_at = now
    return row


def _settle_earlier(provider, row: CheckoutSession, amount: int) -> dict | None:
    """An earlier session of the part: answered if it is paid and awaits its webhooks, or still open
    asking `amount`; closed (at the provider too) if it is open asking another amount."""
    if row.confirmed_at is not None or row.status == rules.EXPIRED:
        return None
    if row.status == rules.OPEN:
        found = provider.checkout(row.id)
        row.status, row.payment_ref = found.status, found.payment_intent or row.payment_ref
        row.url = found.url if found.status == rules.OPEN else None
        if found.status == rules.OPEN and not rules.reusable(row.status, row.amount_cents, amount):
            provider.expire_checkout(row.id)   # it asks another amount now: nobody may pay it
            row.status, row.url = rules.EXPIRED, None
    return None if row.status == rules.EXPIRED else _started(row, reused=True)


def _started(row: CheckoutSession, *, reused: bool) -> dict:
    return {"checkout_session_id": row.id, "part": row.part, "amount_cents": row.amount_cents,
            "currency": row.currency, "url": row.url, "status": row.status, "reused": reused,
            "expires_at": row.expires_at}


def _book(session, journey_id: str, *, lock: bool) -> books.Book:
    book = books.book(session, journey_id, lock=lock)
    if book is None:
        raise NotFound("There is no invoice for this journey yet.", journey_id=journey_id)
    return book


def _invoiced(invoice: Invoice) -> rules.Invoiced:
    return rules.Invoiced(total_cents=invoice.total_cents, deposit_cents=invoice.deposit_cents,
                          deposit_due=invoice.deposit_due, balance_due=invoice.balance_due,
                          deposit_paid=invoice.deposit_paid_at is not None,
                          invoice_paid=invoice.paid_at is not None,
                          cancelled=invoice.cancelled_at is not None)


def _key(invoice_id: str, part: str, before: int, request: CheckoutRequest) -> str:
    digest = hashlib.sha256(json.dumps(request.params(), sort_keys=True).encode()).hexdigest()[:16]
    return f"checkout:{invoice_id}:{part}:{before + 1}:{digest}"


def _instant(unix_seconds: int | None) -> datetime | None:
    return None if unix_seconds is None else aware(datetime.fromtimestamp(unix_seconds, UTC))
