"""Staff use cases: sessions, the start load, the prosthesis fitting and completion.

Each runs in one unit of work and returns the plan's progress view.
"""
from datetime import UTC, date, datetime

from services.rehabilitation import domain
from services.rehabilitation.domain import Rules, SessionFact
from services.rehabilitation.models import PhysioSession, PsychologistSession, RehabPlan
from services.rehabilitation.view import physio_sessions, plan_view, progression_for
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound


def get_plan(uow: UnitOfWork, journey_id: str, rules: Rules) -> dict:
    with uow:
        return plan_view(uow.session, _record(uow.session, journey_id, lock=False), rules)


def choose_start_load(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules) -> dict:
    """The physiotherapist picks the start load (5 or 20 kg) before the first session."""
    with uow:
        plan = _active(uow.session, journey_id)
        if physio_sessions(uow.session, journey_id):
            raise Conflict("the start load is fixed once sessions are recorded")
        domain.check_start_load(data["start_load_kg"], plan.target_load_kg, rules)
        plan.start_load_kg = data["start_load_kg"]
        return plan_view(uow.session, plan, rules)


def record_session(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules, today: date) -> dict:
    """A supervised session: checked against the stay, the pain scale and the load plan."""
    with uow:
        plan = _active(uow.session, journey_id)
        domain.check_date(data["session_date"], plan.start_date, plan.departure_date, today, "session_date")
        domain.check_pain(data["pain_score"], rules)
        best = max((s.load_kg for s in physio_sessions(uow.session, journey_id)), default=None)
        progression_for(plan, rules).check_load(data["load_kg"], best, plan.body_weight_kg, data["reason"])
        uow.session.add(PhysioSession(journey_id=journey_id, recorded_by=uow.actor,
                                      recorded_at=datetime.now(UTC), **data))
        uow.session.flush()
        _judge_progress(uow, plan, rules)
        return plan_view(uow.session, plan, rules)


def record_prosthesis_fitted(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules, today: date) -> dict:
    """The prosthesis is adjusted once the target load is reached; gait training follows."""
    with uow:
        plan = _active(uow.session, journey_id)
        if plan.target_reached_on is None:
            raise Conflict("the prosthesis is fitted once the target load is reached")
        if plan.prosthesis_fitted_on is not None:
            raise Conflict("the prosthesis fitting is already recorded",
                           fitted_on=str(plan.prosthesis_fitted_on))
        domain.check_date(data["fitted_on"], plan.target_reached_on, plan.departure_date, today, "fitted_on")
        plan.prosthesis_fitted_on = data["fitted_on"]
        uow.emit("prosthesis_fitted", {"plan_id": plan.plan_id,
                                       "fitted_on": plan.prosthesis_fitted_on.isoformat()}, journey_id)
        return plan_view(uow.session, plan, rules)


def complete_rehabilitation(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules, today: date) -> dict:
    """Rehabilitation is complete: the patient may fly home."""
    with uow:
        plan = _active(uow.session, journey_id)
        if plan.prosthesis_fitted_on is None:
            raise Conflict("rehabilitation completes after the prosthesis is fitted and gait training")
        domain.check_date(data["completed_on"], plan.prosthesis_fitted_on, plan.departure_date, today,
                          "completed_on")
        plan.completed_on, plan.status = data["completed_on"], "completed"
        uow.emit("rehab_completed", {"plan_id": plan.plan_id, "completed_on": plan.completed_on.isoformat(),
                                     "planned_end": plan.planned_end.isoformat()}, journey_id)
        return plan_view(uow.session, plan, rules)


def request_psychologist(uow: UnitOfWork, journey_id: str, rules: Rules, today: date) -> dict:
    """Staff ask for a psychologist to assist; the first request's date is kept."""
    with uow:
        plan = _active(uow.session, journey_id)
        plan.psychologist_requested_on = plan.psychologist_requested_on or today
        return plan_view(uow.session, plan, rules)


def record_psychologist_session(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules,
                                today: date) -> dict:
    with uow:
        plan = _active(uow.session, journey_id)
        domain.check_date(data["session_date"], plan.start_date, plan.departure_date, today, "session_date")
        uow.session.add(PsychologistSession(journey_id=journey_id, recorded_by=uow.actor,
                                            recorded_at=datetime.now(UTC), **data))
        uow.session.flush()
        return plan_view(uow.session, plan, rules)


def _judge_progress(uow: UnitOfWork, plan: RehabPlan, rules: Rules) -> None:
    """Announce the target once, and each attention reason when it newly appears."""
    sessions = physio_sessions(uow.session, plan.journey_id)
    reached = next((s for s in sessions if s.load_kg >= plan.target_load_kg), None)
    if plan.target_reached_on is None and reached is not None:
        plan.target_reached_on = reached.session_date
        uow.emit("rehab_target_load_reached", {
            "plan_id": plan.plan_id, "reached_on": reached.session_date.isoformat(),
            "load_kg": str(reached.load_kg)}, plan.journey_id)
    facts = [SessionFact(s.session_date, s.load_kg, s.pain_score) for s in sessions]
    reasons = domain.attention_reasons(facts, plan.target_load_kg, rules)
    already = set(plan.attention.split(","))
    for code in reasons:
        if code not in already:
            uow.emit("rehab_attention_needed", {"plan_id": plan.plan_id, "reason_code": code},
                     plan.journey_id)
    plan.attention = ",".join(reasons)


def _record(session, journey_id: str, lock: bool = True) -> RehabPlan:
    plan = session.get(RehabPlan, journey_id, with_for_update=lock)
    if plan is None:
        raise NotFound("no rehabilitation is known for this journey", journey_id=journey_id)
    return plan


def _active(session, journey_id: str) -> RehabPlan:
    """The plan sessions are recorded against: created at discharge, not withdrawn or complete."""
    plan = _record(session, journey_id)
    if plan.status != "active":
        raise Conflict(f"no active rehabilitation plan (status {plan.status})", status=plan.status)
    return plan
