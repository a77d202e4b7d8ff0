"""Use cases of the journey service: record facts, rebuild, ask for and answer erasures."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, or_

from services.journey import history, queries
from services.journey.domain import erasure
from services.journey.models import ErasureRequest, kernel
from services.journey.settings import Settings
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound
from shared.events import Event


def record_fact(uow: UnitOfWork, event: Event) -> None:
    """Any event of any stage: stored once in the history, its journey's projection re-derived."""
    with uow:
        _record(uow, event)


def _record(uow: UnitOfWork, event: Event) -> bool:
    history.lock_journey(uow.session, event.journey_id)
    new = history.store_event(uow.session, event, actor=event.actor)
    if new:
        history.refresh(uow.session, event.journey_id)
    return new


def answer_erasure(uow: UnitOfWork, event: Event, settings: Settings) -> None:
    """Our own erasure_requested: erase what this service holds of an enquirer, and say so.

    The history holds ids and facts only (events never carry personal data),
    but a parked message might; an enquirer's dead letters go. A patient's
    record is kept for the retention period instead.
    """
    with uow:
        _record(uow, event)
        facts = history.facts_of(uow.session, event.journey_id, types=("patient_accepted",))
        answer = {"request_id": event.payload["request_id"], "service": "journey", "erased": not facts}
        if facts:
            answer["retained_reason"] = erasure.retained_reason(settings.retention_years)
        else:
            letters = kernel.dead_letters
            uow.session.execute(delete(letters).where(or_(
                letters.c.journey_id == event.journey_id, letters.c.body.contains(event.journey_id))))
        uow.emit("erasure_confirmed", answer, event.journey_id)


def request_erasure(uow: UnitOfWork, journey_id: str, settings: Settings) -> dict:
    """An administrator asks to erase an enquirer's personal data in every service."""
    with uow:
        history.lock_journey(uow.session, journey_id)
        projection = history.projection_of(uow.session, journey_id)
        if projection is None:
            raise NotFound("no journey with this id", journey_id=journey_id)
        for open_request in queries.erasure_requests(uow.session, journey_id, settings):
            if open_request["status"] == erasure.PENDING:
                raise Conflict("an erasure request for this journey is still awaiting answers",
                               request_id=open_request["request_id"])
        request = ErasureRequest(request_id=str(uuid.uuid4()), journey_id=journey_id,
                                 requested_at=datetime.now(UTC), requested_by=uow.actor or "system",
                                 was_patient=projection.record.accepted is not None)
        uow.session.add(request)
        uow.emit("erasure_requested", {"request_id": request.request_id}, journey_id)
        uow.session.flush()
        return queries.erasure_status(uow.session, request, settings)


def rebuild_projection(uow: UnitOfWork) -> dict:
    """Derive the whole projection again from the stored history (the operator's command)."""
    with uow:
        return history.rebuild_in(uow.session)

