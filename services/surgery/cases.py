"""Loading and recording cases: the repository the use cases share."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from services.surgery import domain
from services.surgery.models import ScheduleChange, SurgeryCase
from services.surgery.scheduling import Plan
from shared.errors import Invalid, NotFound


def now() -> datetime:
    return datetime.now(UTC)


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


def get_or_start(session, journey_id: str) -> SurgeryCase:
    """The case, or a new waiting one (the first of the two facts has arrived)."""
    query = select(SurgeryCase).where(SurgeryCase.journey_id == journey_id).with_for_update()
    case = session.scalars(query).first()
    if case is None:
        case = SurgeryCase(journey_id=journey_id, status=domain.WAITING, accepted=False,
                           deposit_paid=False, updated_at=now())
        session.add(case)
        session.flush()   # two first facts racing: the loser conflicts here and runs again
    return case


def record_change(uow, case: SurgeryCase, kind: str, reason_code: str | None = None) -> None:
    case.updated_at = now()
    uow.session.add(ScheduleChange(journey_id=case.journey_id, kind=kind, surgery_date=case.surgery_date,
                                   reason_code=reason_code, actor=uow.actor, at=now()))


def plan_payload(case: SurgeryCase, plan: Plan) -> dict:
    """The surgery_scheduled / surgery_rescheduled payload: the whole plan."""
    return {"surgery_id": case.surgery_id, **{name: getattr(plan, name).isoformat() for name in (
        "arrival_by", "preop_check_date", "surgery_date", "planned_ward_discharge",
        "planned_rehab_end", "departure_date")}}
