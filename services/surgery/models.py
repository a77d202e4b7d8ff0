"""The surgery service's data: one case per journey, the booked capacity, the clinical record,
and the payment facts a surgery rests on (the balance and disputes, as payments announced them).

Capacity lives in rows whose primary keys are (day, number): a number never exceeds the
configured capacity, so the database refuses a double booking that a race would cause.
"""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.surgery.domain.calendar import Plan
from shared.tables import BigId, add_kernel_tables

PLAN_FIELDS = ("arrival_by", "preop_check_date", "surgery_date", "planned_ward_discharge",
               "planned_rehab_end", "departure_date")


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class SurgeryCase(Base):
    """The process manager's state for one journey, and the current plan."""
    __tablename__ = "surgery_cases"
    journey_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    accepted: Mapped[bool] = mapped_column(default=False)
    deposit_paid: Mapped[bool] = mapped_column(default=False)
    earliest_surgery_date: Mapped[date | None] = mapped_column(Date)
    amputation_side: Mapped[str | None] = mapped_column(String(10))
    # the arrival the patient kept by reporting at the pre-op check: in the Netherlands since then
    in_country_since: Mapped[date | None] = mapped_column(Date)
    balance_paid: Mapped[bool] = mapped_column(default=False, server_default=false())
    balance_cents: Mapped[int | None] = mapped_column(Integer)
    balance_due: Mapped[date | None] = mapped_column(Date)
    surgery_id: Mapped[str | None] = mapped_column(String(36))
    arrival_by: Mapped[date | None] = mapped_column(Date)
    preop_check_date: Mapped[date | None] = mapped_column(Date)
    surgery_date: Mapped[date | None] = mapped_column(Date)
    planned_ward_discharge: Mapped[date | None] = mapped_column(Date)
    planned_rehab_end: Mapped[date | None] = mapped_column(Date)
    departure_date: Mapped[date | None] = mapped_column(Date)
    blocked_by: Mapped[str | None] = mapped_column(String(300))
    performed_on: Mapped[date | None] = mapped_column(Date)
    discharged_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    def plan(self) -> Plan | None:
        return Plan(**{name: getattr(self, name) for name in PLAN_FIELDS}) if self.surgery_date else None

    def set_plan(self, plan: Plan | None) -> None:
        for name in PLAN_FIELDS:
            setattr(self, name, getattr(plan, name) if plan else None)


class OperatingSlot(Base):
    """One of a day's operating slots, taken by one journey."""
    __tablename__ = "operating_slots"
    surgery_date: Mapped[date] = mapped_column(Date, primary_key=True)
    slot_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    journey_id: Mapped[str] = mapped_column(String(36), unique=True)


class WardBedNight(Base):
    """One nursing-ward bed for one night, taken by one journey."""
    __tablename__ = "ward_bed_nights"
    night: Mapped[date] = mapped_column(Date, primary_key=True)
    bed_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)


class ScheduleChange(Base):
    """Who scheduled, moved, blocked or cancelled a surgery, and why."""
    __tablename__ = "schedule_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    surgery_date: Mapped[date | None] = mapped_column(Date)
    reason_code: Mapped[str | None] = mapped_column(String(300))
    actor: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PreopCheck(Base):
    __tablename__ = "preop_checks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    surgery_date: Mapped[date] = mapped_column(Date)
    checked_on: Mapped[date] = mapped_column(Date)
    fit: Mapped[bool]
    reason_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OperatedSide(Base):
    """One side operated and the implant placed there (device traceability): one row per side."""
    __tablename__ = "operated_sides"
    __table_args__ = (UniqueConstraint("journey_id", "side"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    surgery_id: Mapped[str] = mapped_column(String(36))
    performed_on: Mapped[date] = mapped_column(Date)
    side: Mapped[str] = mapped_column(String(10))
    implant_type: Mapped[str] = mapped_column(String(100))
    implant_size: Mapped[str] = mapped_column(String(50))
    implant_lot: Mapped[str] = mapped_column(String(100), index=True)
    implant_serial: Mapped[str | None] = mapped_column(String(100))
    complications: Mapped[str] = mapped_column(String(300))   # codes, comma-separated
    complication_note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PaymentDispute(Base):
    """A dispute on one of the journey's payments, open until payments says it closed."""
    __tablename__ = "payment_disputes"
    dispute_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    invoice_id: Mapped[str | None] = mapped_column(String(100))
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    evidence_due_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(10))   # won | lost; empty while open
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WardVisit(Base):
    """A post-surgery visit on the nursing ward: twice a day, once per slot."""
    __tablename__ = "ward_visits"
    __table_args__ = (UniqueConstraint("journey_id", "visit_date", "slot"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    visit_date: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PostOpImage(Base):
    """A reference to the image of the residual limb made after surgery (the file lives in PACS)."""
    __tablename__ = "postop_images"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    reference: Mapped[str] = mapped_column(String(300))
    taken_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
