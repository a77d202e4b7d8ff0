"""Loading and locking invoices, and reading their rows into the domain's ledger."""
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.payments.domain import Charge, Ledger
from services.payments.models import Invoice, Payment


def lock_invoice(session, *, invoice_id: str | None = None, journey_id: str | None = None) -> Invoice | None:
    """The invoice, locked until commit: its totals change one event at a time."""
    query = select(Invoice).with_for_update()
    if invoice_id:
        query = query.where(Invoice.id == invoice_id)
    elif journey_id:
        query = query.where(Invoice.journey_id == journey_id)
    else:
        return None
    return session.scalars(query).first()


def payments_of(session, invoice_id: str) -> list[Payment]:
    return list(session.scalars(select(Payment).where(Payment.invoice_id == invoice_id)
                                .order_by(Payment.created_at, Payment.id)))


def payment(session, source: str, reference: str) -> Payment | None:
    return session.scalars(select(Payment).where(Payment.source == source,
                                                 Payment.reference == reference)).first()


def to_charge(row: Payment) -> Charge:
    return Charge(reference=row.reference, source=row.source, status=row.status,
                  amount_cents=row.amount_cents, refunded_cents=row.refunded_cents,
                  failure_code=row.failure_code)


def ledger(session, invoice: Invoice) -> Ledger:
    return Ledger(owed_cents=invoice.owed_cents, deposit_cents=invoice.deposit_cents,
                  charges=tuple(to_charge(row) for row in payments_of(session, invoice.id)),
                  refunds_requested_cents=invoice.refunds_requested_cents,
                  cancelled=invoice.cancelled_at is not None)


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
    """Insert unless the key exists (one statement, safe under concurrency); True if inserted."""
    dialect = session.get_bind().dialect.name
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    return session.execute(make(table).values(**values).on_conflict_do_nothing()).rowcount == 1
