"""The plan a staff use case works on: the journey's record, locked for the transaction."""
from services.rehabilitation.models import RehabPlan
from shared.errors import Conflict, NotFound


def plan_of(session, journey_id: str, lock: bool = True) -> RehabPlan:
    """The journey's record; NotFound if this stage has not heard of the journey."""
    plan = session.get(RehabPlan, journey_id, with_for_update=lock)
    if plan is None:
        raise NotFound("no rehabilitation is known for this journey", journey_id=journey_id)
    return plan


def active_plan(session, journey_id: str) -> RehabPlan:
    """The plan sessions are recorded against: created at discharge, not withdrawn or complete."""
    plan = plan_of(session, journey_id)
    if plan.status != "active":
        raise Conflict(f"no active rehabilitation plan (status {plan.status})", status=plan.status)
    return plan
