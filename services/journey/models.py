"""The journey service's data.

`journey_events` is the history: every event received, stored once. The
projection (`journeys`, `timeline`) is derived from it and can be rebuilt
from it at any time. `erasure_requests` records who asked for an erasure.
"""
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import BigId, add_kernel_tables


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class StoredEvent(Base):
    """One fact of some journey, as received (payload as on the wire: ids and facts only)."""
    __tablename__ = "journey_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    producer: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    causation_id: Mapped[str | None] = mapped_column(String(100))  # an event id, or "request:<id>"
    correlation_id: Mapped[str | None] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JourneyRow(Base):
    """Projection: where one journey is, what it waits for, and the facts stalls are judged on."""
    __tablename__ = "journeys"
    journey_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(40), index=True)
    waiting_for: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    event_count: Mapped[int] = mapped_column(Integer)
    enquiry_received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered: Mapped[bool] = mapped_column(Boolean)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    deposit_paid: Mapped[bool] = mapped_column(Boolean)
    review_due: Mapped[date | None] = mapped_column(Date)
    conflict_open_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A second opinion: waiting for an appointment since, booked for, held at (until its outcome).
    second_opinion_waiting_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    second_opinion_booked_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    second_opinion_held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Deadline facts that fired and still stand: `reason@since` pairs (domain/deadlines.py).
    overdue: Mapped[str | None] = mapped_column(Text)
    # Money (domain/payment_flags.py): a payment under dispute; the balance's due date while unpaid.
    payment_disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    balance_due: Mapped[date | None] = mapped_column(Date)
    # Waits judged as stalls (domain/stalls.py): no surgery date fits; a travel desk task open.
    scheduling_blocked_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    desk_task_open_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The projection's version when this row was last written (ProjectionVersion): the board that a
    # process keeps re-judges only the rows written since it last looked (handlers/board.py).
    version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0", index=True)


class ProjectionVersion(Base):
    """One row: counts every write of the projection, in commit order (each write holds the row's lock
    until it commits); `generation` changes when the whole projection is rebuilt."""
    __tablename__ = "projection_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    generation: Mapped[int] = mapped_column(Integer)


class TimelineEntry(Base):
    """Projection: one fact of a journey, at its place in causal order."""
    __tablename__ = "timeline"
    journey_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))
    type: Mapped[str] = mapped_column(String(100))
    producer: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    caused_by: Mapped[str | None] = mapped_column(String(100))
    caused_by_type: Mapped[str | None] = mapped_column(String(100))
    actor: Mapped[str | None] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(500))


class ErasureRequest(Base):
    """An erasure asked for by an administrator; the answers are erasure_confirmed events."""
    __tablename__ = "erasure_requests"
    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    requested_by: Mapped[str] = mapped_column(String(120))
    was_patient: Mapped[bool] = mapped_column(Boolean)
