"""The physiotherapist's part: the start load, and sessions judged against the load plan.

Each use case runs in one unit of work and returns the plan's progress view.
"""
from sqlalchemy import delete

from services.rehabilitation import domain
from services.rehabilitation.domain import Rules, SessionFact
from services.rehabilitation.handlers.common import active_plan
from services.rehabilitation.handlers.views import physio_sessions, plan_view, progression_for
from services.rehabilitation.models import MissedPhysioSession, PhysioSession, RehabPlan
from shared.clock import ClinicClock
from shared.contracts.rehabilitation import RehabAttentionNeeded, RehabTargetLoadReached
from shared.db import UnitOfWork
from shared.errors import Conflict


def choose_start_load(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules, clock: ClinicClock) -> dict:
    """The physiotherapist picks the start load (5 or 20 kg) before the first session."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        if physio_sessions(uow.session, journey_id):
            raise Conflict("the start load is fixed once sessions are recorded")
        domain.check_start_load(data["start_load_kg"], plan.target_load_kg, rules)
        plan.start_load_kg = data["start_load_kg"]
        return plan_view(uow.session, plan, rules, clock.today())


def record_session(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules, clock: ClinicClock) -> dict:
    """A supervised session: checked against the stay (not after the clinic's today), the pain
    scale and the load plan."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        domain.check_date(data["session_date"], plan.start_date, plan.departure_date, clock.today(),
                          "session_date")
        domain.check_pain(data["pain_score"], rules)
        best = max((s.load_kg for s in physio_sessions(uow.session, journey_id)), default=None)
        progression_for(plan, rules).check_load(data["load_kg"], best, plan.body_weight_kg, data["reason"])
        uow.session.add(PhysioSession(journey_id=journey_id, recorded_by=uow.actor,
                                      recorded_at=clock.now(), **data))
        # the patient came after all: a session marked missed on that date no longer is
        uow.session.execute(delete(MissedPhysioSession).where(MissedPhysioSession.journey_id == journey_id,
                                                              MissedPhysioSession.session_date ==
                                                              data["session_date"]))
        uow.session.flush()
        _judge_progress(uow, plan, rules)
        return plan_view(uow.session, plan, rules, clock.today())


def _judge_progress(uow: UnitOfWork, plan: RehabPlan, rules: Rules) -> None:
    """Announce the target once, and each attention reason when it newly appears."""
    sessions = physio_sessions(uow.session, plan.journey_id)
    reached = next((s for s in sessions if s.load_kg >= plan.target_load_kg), None)
    if plan.target_reached_on is None and reached is not None:
        plan.target_reached_on = reached.session_date
        uow.emit(RehabTargetLoadReached, {"plan_id": plan.plan_id, "reached_on": reached.session_date,
                                          "load_kg": reached.load_kg}, plan.journey_id)
    facts = [SessionFact(s.session_date, s.load_kg, s.pain_score) for s in sessions]
    reasons = domain.attention_reasons(facts, plan.target_load_kg, rules)
    already = set(plan.attention.split(","))
    for code in reasons:
        if code not in already:
            uow.emit(RehabAttentionNeeded, {"plan_id": plan.plan_id, "reason_code": code}, plan.journey_id)
    plan.attention = ",".join(reasons)
