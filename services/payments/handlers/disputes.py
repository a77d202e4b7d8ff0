"""Disputes read from provider webhooks: recorded on their invoice's book, announced once each.

A new dispute puts its money on hold (`payment_disputed`, with the evidence deadline);
its closing (`payment_dispute_closed`) keeps the money when won and takes it from
the ledger when lost. The caller settles the book afterwards, which refreshes the
invoice's held and lost totals and announces a milestone the money now reaches.
"""
from datetime import UTC, datetime

from services.payments.domain import disputes as domain
from services.payments.domain.provider_events import DISPUTED, Fact
from services.payments.handlers.books import Book, to_dispute
from services.payments.models import Dispute
from shared.contracts.payments import PaymentDisputeClosed, PaymentDisputed


def apply_dispute(uow, book: Book, fact: Fact, now: datetime) -> str:
    """Merge a dispute's creation or closing into the book; returns what it changed."""
    row = book.dispute(fact.object_id)
    before = to_dispute(row) if row else None
    due = datetime.fromtimestamp(fact.due_by, UTC) if fact.due_by else None
    if fact.type == DISPUTED:
        after = domain.opened(before, fact.object_id, fact.amount_cents, due)
    else:
        after = domain.closed(before, fact.object_id, fact.amount_cents, fact.status, due)
    if after == before:
        return "no change"
    if row is None:
        row = Dispute(id=after.dispute_id, invoice_id=book.invoice.id, payment_reference=fact.payment_ref,
                      amount_cents=after.amount_cents, reason=fact.code or "unknown", created_at=now)
        uow.session.add(row)
        book.disputes.append(row)
    row.status, row.evidence_due_by = after.status, after.evidence_due_by
    invoice = book.invoice
    if before is None and after.status == domain.OPEN:
        # No deadline given reads as "now": finance should act at once rather than never.
        uow.emit(PaymentDisputed, {"invoice_id": invoice.id, "dispute_id": after.dispute_id,
                                   "amount_cents": after.amount_cents,
                                   "evidence_due_by": after.evidence_due_by or now}, invoice.journey_id)
        return "dispute opened"
    if after.status != domain.OPEN and (before is None or before.status == domain.OPEN):
        row.closed_at = now
        uow.emit(PaymentDisputeClosed, {"invoice_id": invoice.id, "dispute_id": after.dispute_id,
                                        "outcome": after.status, "amount_cents": after.amount_cents},
                 invoice.journey_id)
        return f"dispute {after.status}"
    return "dispute updated"
