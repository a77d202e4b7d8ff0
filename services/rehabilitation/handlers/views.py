"""The progress view: where the patient is against the target, and what the plan holds."""
from datetime import date

from sqlalchemy import select

from services.rehabilitation.domain import Progression, Rules, default_start_load, physio_schedule
from services.rehabilitation.handlers.common import plan_of
from services.rehabilitation.handlers.standing import attendance_view
from services.rehabilitation.models import PhysioSession, PsychologistSession, RehabPlan
from shared.clock import ClinicClock
from shared.db import UnitOfWork


def get_plan(uow: UnitOfWork, journey_id: str, rules: Rules, clock: ClinicClock) -> dict:
    """The plan and the patient's progress against the target load and the days of the plan."""
    with uow:
        return plan_view(uow.session, plan_of(uow.session, journey_id, lock=False), rules, clock.today())


def progression_for(plan: RehabPlan, rules: Rules) -> Progression:
    start = plan.start_load_kg or default_start_load(plan.target_load_kg, rules)
    return Progression(start_kg=start, target_kg=plan.target_load_kg, step_kg=plan.load_step_kg)


def physio_sessions(session, journey_id: str) -> list[PhysioSession]:
    return list(session.scalars(select(PhysioSession).where(PhysioSession.journey_id == journey_id)
                                .order_by(PhysioSession.session_date, PhysioSession.id)))


def phase(plan: RehabPlan) -> str:
    if plan.status in ("withdrawn", "completed"):
        return plan.status
    if plan.created_at is None:
        return "awaiting_discharge" if plan.start_date is None else "awaiting_body_weight"
    if plan.prosthesis_fitted_on:
        return "gait_training"
    return "prosthesis_adjustment" if plan.target_reached_on else "load_build_up"


def plan_view(session, plan: RehabPlan, rules: Rules, today: date) -> dict:
    """The plan as RehabPlanView dumps it; loads, percentages and attendance only once the plan exists."""
    sessions = physio_sessions(session, plan.journey_id)
    best = max((s.load_kg for s in sessions), default=None)
    view = {
        "journey_id": plan.journey_id, "plan_id": plan.plan_id, "status": plan.status, "phase": phase(plan),
        "expected_start": plan.expected_start, "start_date": plan.start_date, "planned_end": plan.planned_end,
        "departure_date": plan.departure_date, "target_reached_on": plan.target_reached_on,
        "prosthesis_fitted_on": plan.prosthesis_fitted_on, "completed_on": plan.completed_on,
        "withdrawn_reason": plan.withdrawn_reason, "attention": [c for c in plan.attention.split(",") if c],
        "session_hours": rules.session_hours, "best_load_kg": best,
        "start_load_chosen": plan.start_load_kg is not None,
        "planned_sessions": _schedule(plan, rules), "sessions": sessions,
        "psychologist_requested_on": plan.psychologist_requested_on,
        "psychologist_sessions": list(session.scalars(
            select(PsychologistSession).where(PsychologistSession.journey_id == plan.journey_id)
            .order_by(PsychologistSession.session_date, PsychologistSession.id))),
    }
    if plan.target_load_kg is not None:
        progression = progression_for(plan, rules)
        view.update(start_load_kg=progression.start_kg, target_load_kg=progression.target_kg,
                    load_step_kg=progression.step_kg, ladder_kg=progression.ladder(),
                    next_step_kg=progression.next_step(best),
                    progress_percent=_percent(best, progression.target_kg))
    if plan.created_at is not None:
        view.update(attendance_view(session, plan, today))
    return view


def _schedule(plan: RehabPlan, rules: Rules) -> list:
    """Sessions from the discharge, or as expected from surgery's plan until then."""
    start = plan.start_date or plan.expected_start
    if start is None or plan.planned_end is None or plan.status == "withdrawn":
        return []
    return physio_schedule(start, plan.planned_end, rules.sessions_per_week)


def _percent(best, target_kg) -> int:
    return int((best or 0) * 100 / target_kg) if target_kg else 100
