"""Loading and recording cases: the repository the use cases share."""
import uuid

from sqlalchemy import select

from services.surgery.domain import lifecycle
from services.surgery.domain.calendar import Plan
from services.surgery.models import PLAN_FIELDS, ScheduleChange, SurgeryCase
from shared.clock import ClinicClock
from shared.errors import Invalid, NotFound
from shared.rows import locked_get_or_create


def journey(journey_id: str) -> str:
    """A journey id as the canonical UUID string, or Invalid."""
    try:
        return str(uuid.UUID(str(journey_id)))
    except ValueError:
        raise Invalid("not a journey id", fields={"journey_id": ["must be a UUID"]}) from None


def get(session, journey_id: str, *, lock: bool = True) -> SurgeryCase:
    """The case, locked for update so two staff actions on it run one after the other."""
    query = select(SurgeryCase).where(SurgeryCase.journey_id == journey(journey_id))
    case = session.scalars(query.with_for_update() if lock else query).first()
    if case is None:
        raise NotFound("no surgery case for this journey", journey_id=journey_id)
    return case


def get_or_start(session, clock: ClinicClock, journey_id: str) -> SurgeryCase:
    """The case, locked, or a new waiting one (the first of the two facts has arrived)."""
    return locked_get_or_create(session, SurgeryCase, journey_id, status=lifecycle.WAITING,
                                accepted=False, deposit_paid=False, updated_at=clock.now())


def record_change(uow, clock: ClinicClock, case: SurgeryCase, kind: str,
                  reason_code: str | None = None) -> None:
    """Add who scheduled, moved, blocked or cancelled the case to its history."""
    case.updated_at = clock.now()
    uow.session.add(ScheduleChange(journey_id=case.journey_id, kind=kind, surgery_date=case.surgery_date,
                                   reason_code=reason_code, actor=uow.actor, at=clock.now()))


def plan_payload(case: SurgeryCase, plan: Plan) -> dict:
    """The surgery_scheduled / surgery_rescheduled payload: the whole plan."""
    return {"surgery_id": case.surgery_id, **{name: getattr(plan, name) for name in PLAN_FIELDS}}
