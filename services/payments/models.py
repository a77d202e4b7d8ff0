"""The payments service's data: invoices, payments, refunds, disputes and provider events.

Money columns are integer cents. No personal data is held: provider events are
stored as a projection of ids, amounts and codes (never billing details).
"""
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import BigId, add_kernel_tables


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class Invoice(Base):
    """One invoice per journey; the cached totals are kept under a row lock."""
    __tablename__ = "invoices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), unique=True)
    package: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3))
    total_cents: Mapped[int] = mapped_column(BigInteger)
    deposit_cents: Mapped[int] = mapped_column(BigInteger)
    owed_cents: Mapped[int] = mapped_column(BigInteger)  # the total, or what is kept after a cancellation
    paid_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    refunds_requested_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    refund_due_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # overpayment flagged
    deposit_due: Mapped[date] = mapped_column(Date)
    balance_due: Mapped[date | None] = mapped_column(Date)
    surgery_date: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deposit_paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(String(60))
    last_failure_code: Mapped[str | None] = mapped_column(String(60))
    disputed_cents: Mapped[int] = mapped_column(BigInteger, default=0)       # under open disputes: on hold
    dispute_lost_cents: Mapped[int] = mapped_column(BigInteger, default=0)   # taken back by the bank


class Payment(Base):
    """A provider payment intent (by its id) or a bank transfer (by its reference)."""
    __tablename__ = "payments"
    __table_args__ = (UniqueConstraint("source", "reference"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    failure_code: Mapped[str | None] = mapped_column(String(60))
    received_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PaymentRequest(Base):
    """What the patient is asked to pay at the provider (deposit, balance)."""
    __tablename__ = "payment_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    provider_ref: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Refund(Base):
    """A refund decided on cancellation (by policy) or by finance."""
    __tablename__ = "refunds"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    reason_code: Mapped[str] = mapped_column(String(60))
    percent: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    explanation: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RefundPart(Base):
    """A refund's share on one provider payment, or the manual rest (reference None).

    A part the provider keeps refusing or cannot be reached for is retried with
    backoff, then `failed`: on finance's attention list until finance retries it.
    """
    __tablename__ = "refund_parts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refund_id: Mapped[str] = mapped_column(ForeignKey("refunds.id"), index=True)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # to_send | sent | manual | failed
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, default=0)       # provider calls tried so far
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(120))     # the provider's last answer, no data
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # gave up: finance acts


class Dispute(Base):
    """A payment the patient's bank disputes: open (money on hold) until it is won or lost."""
    __tablename__ = "disputes"
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)  # open | won | lost
    evidence_due_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProviderEvent(Base):
    """A verified provider webhook, stored once by its event id, then processed in the background."""
    __tablename__ = "provider_events"
    __table_args__ = (Index("ix_provider_events_pending", "received_at",
                            postgresql_where=text("processed_at IS NULL"),
                            sqlite_where=text("processed_at IS NULL")),)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    type: Mapped[str] = mapped_column(String(60))
    created: Mapped[int] = mapped_column(BigInteger)
    journey_id: Mapped[str | None] = mapped_column(String(36), index=True)
    invoice_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(60))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # An unmatched event finance has dealt with (e.g. refunded at the provider): off the list, never applied.
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(String(120))
    handled_note: Mapped[str | None] = mapped_column(Text)


class CheckoutSession(Base):
    """A hosted checkout at the provider for the deposit or the balance, by the provider's session id.

    `status` is what we know: open, complete (paid at the provider) or expired (or superseded by one
    asking another amount). `confirmed_at` is set only when the provider's webhook saying it was paid
    has been applied: the portal says "payment received" from then on, not before.
    """
    __tablename__ = "checkout_sessions"
    __table_args__ = (Index("ix_checkout_sessions_invoice_part", "invoice_id", "part"),)
    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"))
    part: Mapped[str] = mapped_column(String(10))              # deposit | balance
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    url: Mapped[str | None] = mapped_column(Text)             # the provider's page; None once closed
    status: Mapped[str] = mapped_column(String(10))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payment_ref: Mapped[str | None] = mapped_column(String(100))   # the payment intent it made
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
