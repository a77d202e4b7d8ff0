"""The notifications database: an outbox of mails, and each patient's reminder preferences.

No address, name or text is stored: a message row names its template and the facts of the
event that caused it (ids, dates, amounts, codes), and the address is asked for at send time.
"""
from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import add_kernel_tables


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)

PENDING, SENT, PARKED, WITHDRAWN, SUPPRESSED = "pending", "sent", "parked", "withdrawn", "suppressed"


class Message(Base):
    """One mail to send: recorded in the handler's transaction, sent from here (at most once in effect).

    `id` is derived from (event, template) or from a topic (e.g. one missed-check-up mail per
    check-up whichever fact announces it), so a redelivered event records nothing new.
    """
    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    template: Mapped[str] = mapped_column(String(60))
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(100))
    facts: Mapped[dict] = mapped_column(JSON)
    care_critical: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))        # the catalog it went out in
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Preference(Base):
    """A patient's choice of reminders (only check-up reminders can be turned off)."""
    __tablename__ = "preferences"
    journey_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    checkup_reminders: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(120))
