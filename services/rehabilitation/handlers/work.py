"""What waits for staff in rehabilitation (My work): supervised sessions due and not yet recorded, plans
behind (the projected end past the flight home, attention reasons, missed days), and requests for a
psychologist not yet followed by a session. Judged over the plans running now, a few at a time at the
hotel, with one query per table (shared/work.py); ids, codes, counts and dates only."""
from datetime import date, time

from sqlalchemy import func, select

from services.rehabilitation.domain import Rules, physio_schedule
from services.rehabilitation.models import (
    MissedPhysioSession,
    PhysioSession,
    PsychologistSession,
    RehabDay,
    RehabPlan,
)
from shared import work
from shared.clock import ClinicClock

ACTIVE, ENDED = "active", ("completed", "withdrawn")
KINDS = ("session_due", "plan_behind", "psychologist_requested")


def queues(uow, clock: ClinicClock, rules: Rules, query: dict) -> dict:
    """The kinds asked for, each counted beside its first `limit` items."""
    work.check_kinds(query["kinds"], KINDS)
    today = clock.today()
    with uow:
        s = uow.session
        judged = {"session_due": lambda: _sessions_due(s, clock, rules, today),
                  "plan_behind": lambda: _plans_behind(s, clock, today),
                  "psychologist_requested": lambda: _psychologist_requested(s, clock)}
        return {"queues": [work.listed(kind, judged[kind](), query["limit"]) for kind in query["kinds"]]}


def _running(session) -> list[RehabPlan]:
    return list(session.scalars(select(RehabPlan).where(
        RehabPlan.status == ACTIVE, RehabPlan.created_at.is_not(None), RehabPlan.start_date.is_not(None))))


def _per_journey(session, model, *where) -> dict[str, int]:
    return dict(session.execute(select(model.journey_id, func.count()).where(*where)
                                .group_by(model.journey_id)).all())


def next_session_due(planned: list[date], recorded: int, today: date) -> tuple[date, int] | None:
    """The first planned session up to today that no attended or missed session accounts for, and how
    many such there are (sessions are recorded on the day they happen, in order)."""
    due = [day for day in planned if day <= today]
    return (due[recorded], len(due) - recorded) if len(due) > recorded else None


def _sessions_due(session, clock: ClinicClock, rules: Rules, today: date) -> list[dict]:
    plans = _running(session)
    recorded = _per_journey(session, PhysioSession)
    missed = _per_journey(session, MissedPhysioSession)
    found = []
    for plan in plans:
        planned = physio_schedule(plan.start_date, plan.planned_end, rules.sessions_per_week)
        done = recorded.get(plan.journey_id, 0) + missed.get(plan.journey_id, 0)
        due = next_session_due(planned, done, today)
        if due:
            found.append(work.item(plan.journey_id, reference=plan.plan_id, count=due[1], due_on=due[0],
                                   overdue=due[0] < today))
    return found


def _plans_behind(session, clock: ClinicClock, today: date) -> list[dict]:
    """One item a plan, its weightiest reason: past the departure, an attention reason, days missed."""
    first_missed = dict(session.execute(
        select(RehabDay.journey_id, func.min(RehabDay.day)).where(RehabDay.status == "missed")
        .group_by(RehabDay.journey_id)).all())
    missed = _per_journey(session, RehabDay, RehabDay.status == "missed")
    found = []
    for plan in _running(session):
        attention = [code for code in (plan.attention or "").split(",") if code]
        days = missed.get(plan.journey_id, 0)
        past = plan.announced_days_past_departure or 0
        code, count = (("past_departure", past) if past else (attention[0], None) if attention
                       else ("days_behind", days) if days else (None, None))
        if code:
            started = first_missed.get(plan.journey_id)
            found.append(work.item(plan.journey_id, reference=plan.plan_id, code=code, count=count,
                                   since=clock.at(started, time(0)) if started else plan.created_at,
                                   overdue=bool(past)))
    return found


def _psychologist_requested(session, clock: ClinicClock) -> list[dict]:
    held = select(PsychologistSession.id).where(
        PsychologistSession.journey_id == RehabPlan.journey_id,
        PsychologistSession.session_date >= RehabPlan.psychologist_requested_on)
    plans = session.scalars(select(RehabPlan).where(RehabPlan.psychologist_requested_on.is_not(None),
                                                    RehabPlan.status.not_in(ENDED), ~held.exists()))
    return [work.item(plan.journey_id, reference=plan.plan_id,
                      since=clock.at(plan.psychologist_requested_on, time(0))) for plan in plans]
