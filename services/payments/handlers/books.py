"""Loading invoices with their payments (locked), and reading them into the domain's ledger."""
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select, text

from services.payments.domain import disputes
from services.payments.domain.ledger import Charge, Ledger
from services.payments.models import Dispute, Invoice, Payment
from shared.clock import aware


@dataclass
class Book:
    """An invoice with its payments and disputes, loaded once under the invoice's lock and changed
    in memory."""
    invoice: Invoice
    payments: list[Payment]
    disputes: list[Dispute] = field(default_factory=list)

    def find(self, source: str, reference: str) -> Payment | None:
        return next((p for p in self.payments if p.source == source and p.reference == reference), None)

    def dispute(self, dispute_id: str) -> Dispute | None:
        return next((d for d in self.disputes if d.id == dispute_id), None)

    def ledger(self) -> Ledger:
        invoice, found = self.invoice, tuple(to_dispute(row) for row in self.disputes)
        return Ledger(owed_cents=invoice.owed_cents, deposit_cents=invoice.deposit_cents,
                      charges=tuple(to_charge(row) for row in self.payments),
                      refunds_requested_cents=invoice.refunds_requested_cents,
                      cancelled=invoice.cancelled_at is not None,
                      held_cents=disputes.held_cents(found), lost_cents=disputes.lost_cents(found))


def books(session, journey_ids: list[str], *, lock: bool = True) -> dict[str, Book]:
    """The journeys' invoices and payments; locked until commit in journey order, so two writers
    never wait on each other in a circle."""
    query = select(Invoice).where(Invoice.journey_id.in_(journey_ids)).order_by(Invoice.journey_id)
    invoices = session.scalars(query.with_for_update() if lock else query).all()
    by_invoice = {invoice.id: Book(invoice, []) for invoice in invoices}
    if by_invoice:
        for row in session.scalars(select(Payment).where(Payment.invoice_id.in_(list(by_invoice)))
                                   .order_by(Payment.created_at, Payment.id)):
            by_invoice[row.invoice_id].payments.append(row)
        for row in session.scalars(select(Dispute).where(Dispute.invoice_id.in_(list(by_invoice)))
                                   .order_by(Dispute.created_at, Dispute.id)):
            by_invoice[row.invoice_id].disputes.append(row)
    return {book.invoice.journey_id: book for book in by_invoice.values()}


def book(session, journey_id: str, *, lock: bool = True) -> Book | None:
    return books(session, [journey_id], lock=lock).get(journey_id)


def payment(session, source: str, reference: str) -> Payment | None:
    return session.scalars(select(Payment).where(Payment.source == source,
                                                 Payment.reference == reference)).first()


def to_charge(row: Payment) -> Charge:
    return Charge(reference=row.reference, source=row.source, status=row.status,
                  amount_cents=row.amount_cents, refunded_cents=row.refunded_cents,
                  failure_code=row.failure_code)


def to_dispute(row: Dispute) -> disputes.Dispute:
    return disputes.Dispute(row.id, row.amount_cents, row.status, aware(row.evidence_due_by),
                            row.payment_reference)


def journey_of(session, *, invoice_id: str | None, payment_ref: str | None) -> str | None:
    """The journey a provider object belongs to, when its metadata does not say."""
    if invoice_id:
        found = session.scalar(select(Invoice.journey_id).where(Invoice.id == invoice_id))
        if found:
            return found
    if payment_ref:
        return session.scalar(select(Invoice.journey_id).join(Payment, Payment.invoice_id == Invoice.id)
                              .where(Payment.reference == payment_ref))
    return None


def insert_ignore(session, table, values: dict) -> bool:
    """Insert unless the key exists (one statement, safe under concurrency); True if inserted.

    Plain SQL that PostgreSQL and SQLite (3.24+) share: SQLAlchemy does not cache the compiled
    form of its dialect inserts, and compiling per webhook costs more than running the insert.
    """
    columns = sorted(values)
    statement = text(f"INSERT INTO {table.name} ({', '.join(columns)}) "
                     f"VALUES ({', '.join(':' + c for c in columns)}) ON CONFLICT DO NOTHING")
    return session.execute(statement.bindparams(*[bindparam(c, type_=table.c[c].type) for c in columns]),
                           values).rowcount == 1
