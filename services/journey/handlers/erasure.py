"""Erasure: an administrator asks every service to erase an enquirer; each answer is recorded."""
import json
import uuid

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from services.journey.domain import erasure
from services.journey.domain.facts import aware
from services.journey.handlers.projection import facts_of, lock_journey, projection_of, reading, record
from services.journey.models import ErasureRequest, StoredEvent, kernel
from services.journey.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.journey import ErasureRequested
from shared.db import UnitOfWork
from shared.erasure import confirm_erasure
from shared.errors import Conflict, NotFound
from shared.events import Event


def request_erasure(uow: UnitOfWork, clock: ClinicClock, settings: Settings, journey_id: str) -> dict:
    """An administrator asks to erase an enquirer's personal data in every service."""
    with uow:
        lock_journey(uow.session, journey_id)
        projection = projection_of(uow.session, journey_id)
        if projection is None:
            raise NotFound("no journey with this id", journey_id=journey_id)
        for open_request in _statuses(uow.session, settings, journey_id):
            if open_request["status"] == erasure.PENDING:
                raise Conflict("an erasure request for this journey is still awaiting answers",
                               request_id=open_request["request_id"])
        request = ErasureRequest(request_id=str(uuid.uuid4()), journey_id=journey_id,
                                 requested_at=clock.now(), requested_by=uow.actor or "system",
                                 was_patient=projection.record.accepted is not None)
        uow.session.add(request)
        uow.emit(ErasureRequested, {"request_id": request.request_id}, journey_id)
        uow.session.flush()
        return _status(uow.session, settings, request)


def answer_erasure(uow: UnitOfWork, event: Event, clock: ClinicClock, settings: Settings) -> None:
    """Our own erasure_requested: recorded like any fact, then answered for what the journey holds.

    The history holds ids and facts only (events never carry personal data),
    but a parked message might; an enquirer's dead letters go. A patient's
    record is kept for the retention period instead.
    """
    with uow:
        record(uow, event, clock)
        if facts_of(uow.session, event.journey_id, types=("patient_accepted",)):
            confirm_erasure(uow, event, erased=False,
                            retained_reason=erasure.retained_reason(settings.retention_years))
            return
        letters = kernel.dead_letters
        uow.session.execute(delete(letters).where(or_(
            letters.c.journey_id == event.journey_id, letters.c.body.contains(event.journey_id))))
        confirm_erasure(uow, event, erased=True)


def erasure_requests(uow: UnitOfWork, settings: Settings, journey_id: str) -> list[dict]:
    """Every erasure request of a journey, newest first, with each service's answer."""
    with reading(uow) as session:
        return _statuses(session, settings, journey_id)


def _statuses(session: Session, settings: Settings, journey_id: str) -> list[dict]:
    requests = session.scalars(select(ErasureRequest).where(ErasureRequest.journey_id == journey_id)
                               .order_by(ErasureRequest.requested_at.desc()))
    return [_status(session, settings, request) for request in requests]


def _status(session: Session, settings: Settings, request: ErasureRequest) -> dict:
    given = _answers(session, request.request_id, request.journey_id)
    return {"request_id": request.request_id, "journey_id": request.journey_id,
            "requested_at": aware(request.requested_at), "requested_by": request.requested_by,
            "was_patient": request.was_patient,
            "status": erasure.status(settings.erasure_services, given),
            "awaiting": sorted(set(settings.erasure_services) - {a.service for a in given}),
            "answers": [vars(a) for a in given]}


def _answers(session: Session, request_id: str, journey_id: str) -> list[erasure.Answer]:
    rows = session.scalars(select(StoredEvent).where(StoredEvent.journey_id == journey_id,
                                                     StoredEvent.type == "erasure_confirmed"))
    found = []
    for row in rows:
        payload = json.loads(row.payload)
        if payload.get("request_id") == request_id:
            found.append(erasure.Answer(payload["service"], payload["erased"],
                                        payload.get("retained_reason"), aware(row.occurred_at)))
    return erasure.latest_answers(found)
