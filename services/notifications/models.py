"""The notifications database: an outbox of mails, each patient's reminder preferences, and the
thread of messages between the patient and the care team.

No address or name is stored: a mail row names its template and the facts of the event that caused
it (ids, dates, amounts, codes), and the address is asked for at send time. The care team's thread is
the one place a text is kept (with its attachments), and it never leaves this service in an event.
"""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text
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
    # Consents withdrawn (enquiries' consent_withdrawn): to process their data, nothing more is sent;
    # to marketing, no marketing mail.
    processing_stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    marketing_mail: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(120))


class CareMessage(Base):
    """One message of a journey's thread with the care team: the patient's, to a role; or a reply."""
    __tablename__ = "care_messages"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    author: Mapped[str] = mapped_column(String(10))                     # patient | staff
    addressed_role: Mapped[str | None] = mapped_column(String(40))     # the patient's: the role written to
    author_role: Mapped[str | None] = mapped_column(String(40))        # a reply: the role answering
    posted_by: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    read_by: Mapped[str | None] = mapped_column(String(120))


class CareAttachment(Base):
    """A file a message carries (a photo of the stoma, a letter), checked by its content, kept here."""
    __tablename__ = "care_attachments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("care_messages.id", ondelete="CASCADE"), index=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
