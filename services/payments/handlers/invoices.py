"""Invoices: issued on acceptance, asked of the provider, their balance dated by the surgery."""
import uuid

from sqlalchemy import select

from services.payments.domain import balance, pricing
from services.payments.handlers import books, deadlines, provider_events
from services.payments.models import Invoice, PaymentRequest
from services.payments.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.payments import BalanceDueDated, InvoiceIssued


def open_invoice(uow, clock: ClinicClock, conf: Settings, event) -> int:
    """A patient was accepted: issue the invoice for their treatment package (once per journey).

    Provider events that arrived for it before it existed are put back in line for
    the processor; returns how many (the caller wakes the processor when any).
    """
    with uow:
        if uow.session.scalar(select(Invoice.id).where(Invoice.journey_id == event.journey_id)):
            return 0
        payload, invoice_id = event.payload, str(uuid.uuid4())
        q = pricing.quote(conf.price_list, payload["amputation_level"], payload["amputation_side"],
                          deposit_percent=conf.deposit_percent, issued_on=clock.today(),
                          deposit_due_days=conf.deposit_due_days)
        uow.session.add(Invoice(
            id=invoice_id, journey_id=event.journey_id, package=q.package, currency=conf.currency,
            total_cents=q.total_cents, deposit_cents=q.deposit_cents, owed_cents=q.total_cents,
            paid_cents=0, refunded_cents=0, refunds_requested_cents=0, refund_due_cents=0,
            disputed_cents=0, deposit_due=q.deposit_due, issued_at=clock.now()))
        uow.emit(InvoiceIssued, {
            "invoice_id": invoice_id, "currency": conf.currency, "total_cents": q.total_cents,
            "deposit_cents": q.deposit_cents, "balance_cents": q.total_cents - q.deposit_cents,
            "deposit_due": q.deposit_due, "balance_due": None}, event.journey_id)
        deadlines.arm_deposit(uow, clock, event.journey_id, invoice_id, q.deposit_cents, q.deposit_due)
        uow.session.flush()
        return provider_events.rematch(uow.session, journey_id=event.journey_id, invoice_id=invoice_id)


def request_payment(uow, clock: ClinicClock, provider, event) -> None:
    """Ask the provider for the deposit and the balance; keys make a retry ask nothing twice."""
    with uow:
        invoice = uow.session.get(Invoice, event.payload["invoice_id"])
        parts = (("deposit", invoice.deposit_cents), ("balance", invoice.total_cents - invoice.deposit_cents))
        for kind, amount in parts:
            key = f"payreq:{invoice.id}:{kind}"
            if amount <= 0 or uow.session.scalar(select(PaymentRequest.id).where(
                    PaymentRequest.idempotency_key == key)):
                continue
            ref = provider.create_payment_request(
                idempotency_key=key, amount_cents=amount, currency=invoice.currency,
                metadata={"invoice_id": invoice.id, "journey_id": invoice.journey_id, "kind": kind})
            uow.session.add(PaymentRequest(invoice_id=invoice.id, kind=kind, amount_cents=amount,
                                           idempotency_key=key, provider_ref=ref, created_at=clock.now()))


def set_surgery_date(uow, clock: ClinicClock, conf: Settings, event) -> None:
    """Surgery was (re)scheduled: the balance falls due a set number of days before it.

    `balance_due_dated` announces the date, and again each time it moves, with what is
    still owed (zero once paid in full: `invoice_paid` has said so already).
    """
    with uow:
        book = books.book(uow.session, event.journey_id)
        if book is None:
            return
        invoice = book.invoice
        due = balance.balance_due(event.payload["surgery_date"], conf.balance_due_days_before_surgery)
        moved = due != invoice.balance_due
        invoice.surgery_date, invoice.balance_due = event.payload["surgery_date"], due
        if not moved or invoice.cancelled_at is not None:
            return
        owed = max(0, book.ledger().balance_cents)
        uow.emit(BalanceDueDated, {"invoice_id": invoice.id, "balance_due": due,
                                   "balance_cents": owed}, invoice.journey_id)
        deadlines.date_balance(uow, clock, invoice, owed)
