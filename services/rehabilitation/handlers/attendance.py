"""The physiotherapist records each day of daily rehabilitation and each supervised session missed;
when the missed days move the projected end past the booked departure (or back within it), the
plan says so once, in the same transaction (rehab_behind_plan)."""
from sqlalchemy import select

from services.rehabilitation import domain
from services.rehabilitation.domain import DayFact, Rules
from services.rehabilitation.handlers.common import active_plan
from services.rehabilitation.handlers.plans import record_for
from services.rehabilitation.handlers.standing import standing_of
from services.rehabilitation.handlers.views import plan_view
from services.rehabilitation.models import MissedPhysioSession, PhysioSession, RehabDay, RehabPlan
from shared.clock import ClinicClock, aware
from shared.contracts.rehabilitation import RehabBehindPlan
from shared.db import UnitOfWork
from shared.errors import Conflict
from shared.events import Event


def record_day(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules, clock: ClinicClock) -> dict:
    """A day of the plan done, or missed with a reason; recording a day again corrects it."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        fact = DayFact(data["day"], data["status"], data["reason_code"])
        domain.check_day(fact, plan.start_date, plan.departure_date, clock.today(), rules)
        row = uow.session.scalar(select(RehabDay).where(RehabDay.journey_id == journey_id,
                                                        RehabDay.day == fact.on))
        if row is None:
            row = RehabDay(journey_id=journey_id, day=fact.on)
            uow.session.add(row)
        row.status, row.reason_code = fact.status, fact.reason_code
        row.recorded_by, row.recorded_at = uow.actor, clock.now()
        uow.session.flush()
        _judge_departure(uow, plan, clock)
        return plan_view(uow.session, plan, rules, clock.today())


def record_missed_session(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules,
                          clock: ClinicClock) -> dict:
    """A supervised session the patient did not attend, with a reason code (once per date)."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        on = data["session_date"]
        domain.check_date(on, plan.start_date, plan.departure_date, clock.today(), "session_date")
        domain.check_missed_reason(data["reason_code"], rules, "reason_code")
        if uow.session.scalar(select(PhysioSession.id).where(PhysioSession.journey_id == journey_id,
                                                             PhysioSession.session_date == on).limit(1)):
            raise Conflict("a session attended on this date is already recorded", session_date=str(on))
        row = uow.session.scalar(select(MissedPhysioSession).where(
            MissedPhysioSession.journey_id == journey_id, MissedPhysioSession.session_date == on))
        if row is None:
            row = MissedPhysioSession(journey_id=journey_id, session_date=on)
            uow.session.add(row)
        row.reason_code, row.recorded_by, row.recorded_at = data["reason_code"], uow.actor, clock.now()
        uow.session.flush()
        _judge_departure(uow, plan, clock)
        return plan_view(uow.session, plan, rules, clock.today())


def follow_booked_departure(uow: UnitOfWork, event: Event, clock: ClinicClock) -> None:
    """itinerary_confirmed: the flight home as booked; a moved return flight may let the plan fit again
    (or not), which is told as any other change of the warning. An older booking arriving late is ignored."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        last = plan.departure_fact_at
        if last is not None and aware(last) >= event.occurred_at:
            return
        plan.departure_fact_at, plan.departure_date = event.occurred_at, event.payload["departure_date"]
        if plan.status == "active":
            _judge_departure(uow, plan, clock)


def _judge_departure(uow: UnitOfWork, plan: RehabPlan, clock: ClinicClock) -> None:
    """Tell when the projected end newly passes the departure, moves further past it, or fits again."""
    now = standing_of(uow.session, plan, clock.today())
    if not domain.departure_warning_changed(now, plan.announced_days_past_departure or 0):
        return
    plan.announced_days_past_departure = now.days_past_departure
    uow.emit(RehabBehindPlan, {"plan_id": plan.plan_id, "missed_days": now.missed_days,
                               "missed_sessions": now.missed_sessions,
                               "days_past_departure": now.days_past_departure}, plan.journey_id)
