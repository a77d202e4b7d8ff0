"""Read models: one case with its clinical record, and the operating calendar."""
from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from services.surgery.domain import lifecycle, standing
from services.surgery.domain.calendar import CLOSED, DAY, NOT_OPERATING
from services.surgery.handlers import cases
from services.surgery.handlers.standing import standing_of
from services.surgery.models import (
    OperatedSide,
    OperatingSlot,
    PaymentDispute,
    PostOpImage,
    PreopCheck,
    ScheduleChange,
    WardBedNight,
    WardVisit,
)
from services.surgery.settings import SurgerySettings
from shared.errors import Invalid

MAX_CALENDAR_DAYS = 366


def read_case(uow, settings: SurgerySettings, journey_id: str) -> dict:
    """Everything this service knows about one journey's surgery."""
    with uow:
        return case_view(uow.session, settings, journey_id)


def read_calendar(uow, settings: SurgerySettings, query: dict) -> list[dict]:
    """Each day from `start` to `end`: closed, free or booked, with the journeys booked on it."""
    with uow:
        return calendar_view(uow.session, settings, query["start"], query["end"])


def case_view(session, settings: SurgerySettings, journey_id: str) -> dict:
    """One journey's case with its plan, clinical record, payment standing and history."""
    case = cases.get(session, journey_id, lock=False)

    def rows(model, order=None):
        return list(session.scalars(select(model).filter_by(journey_id=case.journey_id)
                                    .order_by(order if order is not None else model.id)))
    held = standing_of(session, case)
    before_surgery = case.status in (lifecycle.SCHEDULED, lifecycle.READY)
    return {
        "journey_id": case.journey_id, "status": case.status, "surgery_id": case.surgery_id,
        "waiting_for": lifecycle.waiting_for(case.accepted, case.deposit_paid),
        "earliest_surgery_date": case.earliest_surgery_date, "plan": case.plan(),
        "blocked_by": case.blocked_by.split(",") if case.blocked_by else [],
        "performed_on": case.performed_on, "discharged_on": case.discharged_on,
        "preop_checks": rows(PreopCheck),
        "in_country_since": case.in_country_since,
        "operations": rows(OperatedSide),
        "payment": {"balance_paid": held.balance_paid, "balance_cents": held.balance_cents,
                    "balance_due": held.balance_due, "unpaid_balance_policy": settings.unpaid_balance,
                    "disputed": held.open_disputes > 0,
                    "disputes": rows(PaymentDispute, PaymentDispute.updated_at)},
        "warnings": standing.warnings(held, settings.unpaid_balance) if before_surgery else [],
        "ward_visits": rows(WardVisit),
        "images": rows(PostOpImage),
        "history": rows(ScheduleChange),
    }


def calendar_view(session, settings: SurgerySettings, start: date, end: date) -> list[dict]:
    """The operating calendar from start to end (at most a year)."""
    if end < start or (end - start).days >= MAX_CALENDAR_DAYS:
        raise Invalid("a calendar covers 1 to 366 days",
                      fields={"end": ["must be within a year after start"]})
    calendar = settings.calendar(start, end)
    booked = defaultdict(list)
    for day, journey_id in session.execute(select(OperatingSlot.surgery_date, OperatingSlot.journey_id).where(
            OperatingSlot.surgery_date.between(start, end)).order_by(OperatingSlot.slot_no)):
        booked[day].append(journey_id)
    disputed = set(session.scalars(select(PaymentDispute.journey_id).where(
        PaymentDispute.outcome.is_(None), PaymentDispute.journey_id.in_(
            {journey for journeys in booked.values() for journey in journeys}))))
    beds = dict(session.execute(select(WardBedNight.night, func.count()).where(
        WardBedNight.night.between(start, end)).group_by(WardBedNight.night)).all())
    days, day = [], start
    while day <= end:
        closed = (NOT_OPERATING if day.weekday() not in calendar.operating_weekdays
                  else CLOSED if day in calendar.closed_days else None)
        full = len(booked[day]) >= calendar.surgeries_per_day
        days.append({"date": day, "status": "closed" if closed else "booked" if full else "free",
                     "closed_reason": closed, "surgeries": len(booked[day]),
                     "capacity": 0 if closed else calendar.surgeries_per_day,
                     "ward_beds_taken": beds.get(day, 0), "ward_beds": calendar.ward_beds,
                     "journeys": booked[day],
                     "disputed_journeys": [journey for journey in booked[day] if journey in disputed]})
        day += DAY
    return days
