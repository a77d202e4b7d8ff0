"""Money arriving and leaving: provider facts and bank transfers applied to an invoice's book."""
from datetime import datetime

from services.payments.domain import ledger as domain
from services.payments.domain.provider_events import (
    CHECKOUT,
    DISPUTE_CLOSED,
    DISPUTED,
    FAILED,
    REFUNDED,
    SUCCEEDED,
    Fact,
)
from services.payments.handlers import books, checkout, deadlines, disputes
from services.payments.handlers.books import Book
from services.payments.models import Payment
from shared.contracts.payments import DepositPaid, InvoicePaid, PaymentFailed, RefundIssued
from shared.errors import Conflict

MILESTONES = {domain.DEPOSIT_PAID: DepositPaid, domain.INVOICE_PAID: InvoicePaid}


def settle(uow, book: Book, now: datetime) -> domain.Ledger:
    """Refresh the invoice's totals and announce the milestones it reached (each once)."""
    invoice, ledger = book.invoice, book.ledger()
    announced = {name for name, at in ((domain.DEPOSIT_PAID, invoice.deposit_paid_at),
                                       (domain.INVOICE_PAID, invoice.paid_at)) if at}
    for milestone in domain.milestones(ledger, announced):
        uow.emit(MILESTONES[milestone], {"invoice_id": invoice.id, "paid_cents": ledger.net_paid_cents},
                 invoice.journey_id)
        if milestone == domain.DEPOSIT_PAID:
            invoice.deposit_paid_at = now
        else:
            invoice.paid_at = now
        deadlines.settled(uow, invoice)
    invoice.paid_cents, invoice.refunded_cents = ledger.paid_cents, ledger.refunded_cents
    invoice.refund_due_cents = ledger.refund_due_cents
    invoice.disputed_cents, invoice.dispute_lost_cents = ledger.held_cents, ledger.lost_cents
    return ledger


def apply_fact(uow, book: Book, fact: Fact, now: datetime) -> str:
    """Merge one provider fact into the book; returns what it changed, for the event log.

    The caller settles the book afterwards (once for a batch of facts).
    """
    invoice = book.invoice
    if fact.type in (DISPUTED, DISPUTE_CLOSED):
        return disputes.apply_dispute(uow, book, fact, now)
    if fact.type in CHECKOUT:
        checkout.confirm(uow.session, fact, now)
        if fact.status != "paid" or not fact.payment_ref:
            return f"checkout {fact.status}"   # paid later (async_payment_succeeded) or never
    row = book.find(domain.PROVIDER, fact.payment_ref)
    before = books.to_charge(row) if row else domain.Charge(fact.payment_ref)
    if fact.type in (SUCCEEDED, *CHECKOUT):   # a paid checkout and its intent's success: one payment
        after = domain.succeed(before, fact.amount_cents)
    elif fact.type == FAILED:
        after = domain.fail(before, fact.code)
    else:
        after = domain.refund(before, fact.amount_cents, fact.refunded_cents)
    if after == before:
        return "no change"
    _save(uow, book, row, after, now)
    if after.status == domain.FAILED and before.status != domain.FAILED:
        invoice.last_failure_code = after.failure_code
        uow.emit(PaymentFailed, {"invoice_id": invoice.id, "reason_code": after.failure_code},
                 invoice.journey_id)
    refunded = after.refunded_cents - before.refunded_cents
    if fact.type == REFUNDED and refunded > 0:
        uow.emit(RefundIssued, {"invoice_id": invoice.id, "refund_cents": refunded}, invoice.journey_id)
    return after.status if refunded <= 0 else f"refunded {refunded}"


def record_bank_transfer(uow, book: Book, *, reference: str, amount_cents: int, received_on,
                         now: datetime) -> tuple[Payment, bool]:
    """Record a transfer once per reference; the same reference again changes nothing."""
    row = books.payment(uow.session, domain.BANK_TRANSFER, reference)
    if row is not None:
        if row.invoice_id != book.invoice.id or row.amount_cents != amount_cents:
            raise Conflict("this bank reference is already recorded with other details",
                           reference=reference)
        return row, True
    row = Payment(invoice_id=book.invoice.id, source=domain.BANK_TRANSFER, reference=reference,
                  status=domain.SUCCEEDED, amount_cents=amount_cents, refunded_cents=0,
                  received_on=received_on, recorded_by=uow.actor, created_at=now)
    uow.session.add(row)
    book.payments.append(row)
    settle(uow, book, now)
    return row, False


def _save(uow, book: Book, row: Payment | None, charge: domain.Charge, now: datetime) -> None:
    if row is None:
        row = Payment(invoice_id=book.invoice.id, source=domain.PROVIDER, reference=charge.reference,
                      created_at=now)
        uow.session.add(row)
        book.payments.append(row)
    row.status, row.amount_cents = charge.status, charge.amount_cents
    row.refunded_cents, row.failure_code = charge.refunded_cents, charge.failure_code

