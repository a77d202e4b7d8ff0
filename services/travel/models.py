"""The travel service's tables: itineraries, their bookings, and the agency conversation."""
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import add_kernel_tables

BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class Traveller(Base):
    """Where a patient flies from: their country (from acceptance) and the desk's airport choice."""
    __tablename__ = "travellers"
    journey_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    country: Mapped[str | None] = mapped_column(String(60))
    home_airport: Mapped[str | None] = mapped_column(String(3))


class Itinerary(Base):
    """The travel for one surgery plan. status: active, cancelling, cancelled."""
    __tablename__ = "itineraries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    surgery_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20))
    confirmed: Mapped[bool] = mapped_column(default=False)   # every part booked as asked
    arrival_by: Mapped[date] = mapped_column(Date)
    preop_check_date: Mapped[date] = mapped_column(Date)
    surgery_date: Mapped[date] = mapped_column(Date)
    planned_ward_discharge: Mapped[date] = mapped_column(Date)
    planned_rehab_end: Mapped[date] = mapped_column(Date)
    departure_date: Mapped[date] = mapped_column(Date)
    rehab_completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Booking(Base):
    """One part (flight or hotel) at the agency, or entered by the desk after a phone call.

    One current row per part; a replaced row stays as history. status: pending,
    confirmed, cancelling, cancelled, failed.
    """
    __tablename__ = "bookings"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)   # our client reference
    itinerary_id: Mapped[str] = mapped_column(ForeignKey("itineraries.id"), index=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    part: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10))           # agency | phone
    status: Mapped[str] = mapped_column(String(20))
    origin: Mapped[str | None] = mapped_column(String(3))
    destination: Mapped[str | None] = mapped_column(String(3))
    wanted_start: Mapped[date] = mapped_column(Date)
    wanted_end: Mapped[date] = mapped_column(Date)
    booked_start: Mapped[date | None] = mapped_column(Date)
    booked_end: Mapped[date | None] = mapped_column(Date)
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    confirmation_code: Mapped[str | None] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(default=0)            # last agency revision applied
    cost_cents: Mapped[int] = mapped_column(default=0)          # cancellation cost
    current: Mapped[bool] = mapped_column(default=True)


class AgencyRequest(Base):
    """A request to the agency, recorded with the change that needs it, sent afterwards.

    status: pending, sent, failed. The idempotency key stays the same across retries.
    """
    __tablename__ = "agency_requests"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    booking_id: Mapped[str] = mapped_column(ForeignKey("bookings.id"), index=True)
    journey_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(10))             # book | change | cancel
    payload: Mapped[dict] = mapped_column(JSON)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AgencyEvent(Base):
    """A verified agency webhook, stored before it is acted on (dedup by its id)."""
    __tablename__ = "agency_events"
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(default=0)


class HistoryEntry(Base):
    """What happened to an itinerary, for the travel desk. details: codes and dates only."""
    __tablename__ = "itinerary_history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    itinerary_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    code: Mapped[str] = mapped_column(String(40))
    part: Mapped[str | None] = mapped_column(String(20))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(120))


class DeskTask(Base):
    """Something the travel desk must look at. kind: conflict | task; status: open, resolved."""
    __tablename__ = "desk_tasks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    itinerary_id: Mapped[str] = mapped_column(String(36))
    booking_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(40))
    part: Mapped[str | None] = mapped_column(String(20))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(120))
