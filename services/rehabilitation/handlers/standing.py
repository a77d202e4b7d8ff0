"""Where the patient stands against the days of the plan, read from the days and sessions recorded."""
from datetime import date

from sqlalchemy import func, select

from services.rehabilitation import domain
from services.rehabilitation.domain import DayFact, Standing
from services.rehabilitation.models import MissedPhysioSession, PhysioSession, RehabDay, RehabPlan


def recorded_days(session, journey_id: str) -> list[RehabDay]:
    return list(session.scalars(select(RehabDay).where(RehabDay.journey_id == journey_id)
                                .order_by(RehabDay.day)))


def missed_sessions(session, journey_id: str) -> list[MissedPhysioSession]:
    return list(session.scalars(select(MissedPhysioSession)
                                .where(MissedPhysioSession.journey_id == journey_id)
                                .order_by(MissedPhysioSession.session_date)))


def standing_of(session, plan: RehabPlan, today: date) -> Standing:
    """The plan's standing today: days done and missed, sessions attended and missed, projected end."""
    attended = session.scalar(select(func.count()).select_from(PhysioSession)
                              .where(PhysioSession.journey_id == plan.journey_id))
    days = [DayFact(row.day, row.status, row.reason_code) for row in recorded_days(session, plan.journey_id)]
    return domain.standing(days, attended, len(missed_sessions(session, plan.journey_id)), plan.start_date,
                           plan.planned_end, plan.departure_date, today)


def attendance_view(session, plan: RehabPlan, today: date) -> dict:
    """The part of RehabPlanView about the days of the plan (RehabAttendanceView)."""
    now = standing_of(session, plan, today)
    return {
        "days": recorded_days(session, plan.journey_id),
        "missed_sessions": missed_sessions(session, plan.journey_id),
        "attendance": {
            "done_days": now.done_days, "missed_days": now.missed_days,
            "unrecorded_days": now.unrecorded_days,
            "attended_sessions": now.attended_sessions, "missed_sessions": now.missed_sessions,
            "days_behind": now.days_behind, "behind_plan": now.days_behind > 0,
            "projected_end": now.projected_end, "departure_date": now.departure_date,
            "days_past_departure": now.days_past_departure,
            "past_departure": now.days_past_departure > 0,
        },
    }
