"""What finance staff see and do: an invoice with its money and events, what is outstanding.

The attention list is handlers/attention.py.
"""

from sqlalchemy import or_, select

from services.payments.domain.ledger import status_of
from services.payments.handlers import books, settlement
from services.payments.models import (
    Dispute,
    Invoice,
    PaymentRequest,
    ProviderEvent,
    Refund,
    RefundPart,
    kernel,
)
from shared.clock import ClinicClock
from shared.errors import NotFound


def invoice_view(uow, journey_id: str) -> dict:
    """The invoice of a journey with its payments, requests, refunds, disputes and events."""
    with uow:
        s = uow.session
        book = books.book(s, journey_id, lock=False)
        if book is None:
            raise NotFound("no invoice for this journey", journey_id=journey_id)
        invoice, ledger = book.invoice, book.ledger()
        return {
            "invoice": invoice, "status": status_of(ledger), "balance_cents": ledger.balance_cents,
            "overpaid_cents": ledger.overpaid_cents,
            "payments": book.payments,
            "requests": s.scalars(select(PaymentRequest).where(PaymentRequest.invoice_id == invoice.id)
                                  .order_by(PaymentRequest.id)).all(),
            "refunds": [_refund(s, refund) for refund in s.scalars(
                select(Refund).where(Refund.invoice_id == invoice.id).order_by(Refund.created_at))],
            "disputes": s.scalars(select(Dispute).where(Dispute.invoice_id == invoice.id)).all(),
            "provider_events": s.scalars(select(ProviderEvent).where(or_(
                ProviderEvent.invoice_id == invoice.id, ProviderEvent.journey_id == journey_id))
                .order_by(ProviderEvent.received_at)).all(),
            "events": _own_events(s, journey_id),
        }


def _own_events(session, journey_id: str) -> list[dict]:
    """The events payments committed for the journey (its outbox is the record)."""
    outbox = kernel.outbox
    rows = session.execute(select(outbox.c.event_id, outbox.c.event_type, outbox.c.created_at)
                           .where(outbox.c.journey_id == journey_id).order_by(outbox.c.id))
    return [{"event_id": row.event_id, "type": row.event_type, "at": row.created_at} for row in rows]


def _refund(session, refund: Refund) -> dict:
    parts = session.scalars(select(RefundPart).where(RefundPart.refund_id == refund.id)
                            .order_by(RefundPart.id)).all()
    return {"id": refund.id, "reason_code": refund.reason_code, "percent": refund.percent,
            "amount_cents": refund.amount_cents, "explanation": refund.explanation,
            "created_at": refund.created_at, "parts": parts}


def outstanding_deposits(uow, clock: ClinicClock) -> list[dict]:
    """Open invoices whose deposit has not arrived, the most urgent first."""
    today = clock.today()
    with uow:
        invoices = uow.session.scalars(select(Invoice).where(
            Invoice.deposit_paid_at.is_(None), Invoice.cancelled_at.is_(None))
            .order_by(Invoice.deposit_due, Invoice.id)).all()
        return [{"invoice_id": i.id, "journey_id": i.journey_id, "deposit_cents": i.deposit_cents,
                 "paid_cents": i.paid_cents - i.refunded_cents, "deposit_due": i.deposit_due,
                 "overdue": i.deposit_due < today, "last_failure_code": i.last_failure_code}
                for i in invoices]


def record_bank_transfer(uow, clock: ClinicClock, journey_id: str, transfer: dict) -> dict:
    """Finance recorded a bank transfer; the same reference twice is one payment."""
    now = clock.now()
    with uow:
        book = books.book(uow.session, journey_id)
        if book is None:
            raise NotFound("no invoice for this journey", journey_id=journey_id)
        invoice = book.invoice
        row, duplicate = settlement.record_bank_transfer(
            uow, book, reference=transfer["reference"], amount_cents=transfer["amount_cents"],
            received_on=transfer["received_on"], now=now)
        return {"payment": row, "duplicate": duplicate, "invoice_id": invoice.id,
                "balance_cents": invoice.owed_cents - invoice.paid_cents + invoice.refunded_cents}
