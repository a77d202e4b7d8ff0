"""Look-ups every use case needs."""
from sqlalchemy import select

from services.enquiries.models import Enquiry, Prescreen, ScreeningStep
from shared.errors import Conflict, NotFound


def enquiry_for(uow, journey_id: str, *, lock: bool = False) -> Enquiry:
    """The journey's enquiry, locked against concurrent staff actions when `lock`."""
    query = select(Enquiry).where(Enquiry.journey_id == str(journey_id))
    if lock:
        query = query.with_for_update()
    enquiry = uow.session.scalar(query)
    if enquiry is None:
        raise NotFound(f"no enquiry for journey {journey_id}")
    return enquiry


def require_status(enquiry: Enquiry, *statuses: str) -> None:
    if enquiry.status not in statuses:
        raise Conflict(f"the enquiry is {enquiry.status}, not {' or '.join(statuses)}",
                       status=enquiry.status)


def current_prescreen(session, enquiry_id: str) -> Prescreen | None:
    return session.scalar(select(Prescreen).where(Prescreen.enquiry_id == enquiry_id)
                          .order_by(Prescreen.id.desc()).limit(1))


def done_steps(session, enquiry_id: str) -> dict[str, str]:
    """Each completed or skipped screening step, with its state."""
    rows = session.scalars(select(ScreeningStep).where(ScreeningStep.enquiry_id == enquiry_id))
    return {row.step: row.state for row in rows}


def actor(uow) -> str:
    """Who asked: a staff id, `patient:<journey>`, or the system itself."""
    return uow.actor or "system"
