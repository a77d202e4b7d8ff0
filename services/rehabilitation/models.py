"""The rehabilitation service's data: one plan per journey and the sessions recorded against it."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import add_kernel_tables

Kg = Numeric(5, 1)


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class RehabPlan(Base):
    """What this stage knows about a journey, and its plan once discharge and weight are both known.

    status: awaiting (no plan yet) | active | completed | withdrawn.
    """
    __tablename__ = "rehab_plans"
    journey_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    plan_id: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    body_weight_kg: Mapped[Decimal | None] = mapped_column(Kg)
    expected_start: Mapped[date | None] = mapped_column(Date)     # surgery's planned ward discharge
    start_date: Mapped[date | None] = mapped_column(Date)         # the actual ward discharge
    planned_end: Mapped[date | None] = mapped_column(Date)
    departure_date: Mapped[date | None] = mapped_column(Date)
    departure_fact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # travel last booked
    surgery_fact_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # last applied
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # rehab_plan_created
    start_load_kg: Mapped[Decimal | None] = mapped_column(Kg)     # None until the physio chooses
    target_load_kg: Mapped[Decimal | None] = mapped_column(Kg)
    load_step_kg: Mapped[Decimal | None] = mapped_column(Kg)      # fixed when the plan is made
    target_reached_on: Mapped[date | None] = mapped_column(Date)
    prosthesis_fitted_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_reason: Mapped[str | None] = mapped_column(String(60))
    attention: Mapped[str] = mapped_column(String(200), default="")  # open reason codes, comma-separated
    psychologist_requested_on: Mapped[date | None] = mapped_column(Date)
    # the last rehab_behind_plan told: how many days the projected end lay past the departure
    announced_days_past_departure: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PhysioSession(Base):
    """A supervised session; `reason` explains a load beyond the plan (staff only, never in events)."""
    __tablename__ = "physio_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("rehab_plans.journey_id"), index=True)
    session_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[Decimal] = mapped_column(Kg)
    pain_score: Mapped[int] = mapped_column(Integer)
    notes_ref: Mapped[str | None] = mapped_column(String(200))
    exercises: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PsychologistSession(Base):
    __tablename__ = "psychologist_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("rehab_plans.journey_id"), index=True)
    session_date: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RehabDay(Base):
    """One day of daily rehabilitation at the hotel: done, or missed with a reason code.

    Recording a day again replaces its status (a correction), so a day counts once."""
    __tablename__ = "rehab_days"
    __table_args__ = (UniqueConstraint("journey_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("rehab_plans.journey_id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))              # done | missed
    reason_code: Mapped[str | None] = mapped_column(String(40))  # a missed day's reason
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MissedPhysioSession(Base):
    """A supervised session the patient did not attend (attended ones are PhysioSession rows)."""
    __tablename__ = "missed_physio_sessions"
    __table_args__ = (UniqueConstraint("journey_id", "session_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(ForeignKey("rehab_plans.journey_id"), index=True)
    session_date: Mapped[date] = mapped_column(Date)
    reason_code: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
