"""Erasure: an administrator asks every service to erase an enquirer; each answer is recorded."""
import json
import uuid

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.journey.domain import erasure
from services.journey.domain.facts import aware
from services.journey.handlers import retention
from services.journey.handlers.projection import (
    facts_of,
    lock_journey,
    projection_of,
    reading,
    record,
    refresh,
)
from services.journey.models import ErasureRequest, StoredEvent, kernel
from services.journey.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.journey import ErasureRequested
from shared.db import UnitOfWork
from shared.erasure import confirm_erasure, scrub_kernel
from shared.errors import Conflict, NotFound
from shared.events import Event


def request_erasure(uow: UnitOfWork, clock: ClinicClock, settings: Settings, journey_id: str) -> dict:
    """An administrator asks to erase an enquirer's personal data in every service."""
    with uow:
        return _request(uow, clock, settings, journey_id, purge=False)


def purge_on_retention_end(uow: UnitOfWork, event: Event, clock: ClinicClock, settings: Settings) -> None:
    """retention_ended (our own timer): recorded, then every service is asked to purge the journey.
    A timer moved since it fired (a later fact) is a stale one: the newer timer decides."""
    with uow:
        record(uow, event, clock, settings)
        projection = projection_of(uow.session, event.journey_id)
        kept = projection and settings.retention and retention.kept_now(uow.session, clock, settings,
                                                                        projection)
        if not kept or kept.until.isoformat() != str(event.payload["kept_until"]):
            return
        if any(r["status"] == erasure.PENDING for r in _statuses(uow.session, settings, event.journey_id)):
            return   # one already under way: its answers erase as much
        _request(uow, clock, settings, event.journey_id, purge=True)


def _request(uow: UnitOfWork, clock: ClinicClock, settings: Settings, journey_id: str, *,
             purge: bool) -> dict:
    lock_journey(uow.session, journey_id)
    projection = projection_of(uow.session, journey_id)
    if projection is None:
        raise NotFound("no journey with this id", journey_id=journey_id)
    for open_request in _statuses(uow.session, settings, journey_id):
        if open_request["status"] == erasure.PENDING:
            raise Conflict("an erasure request for this journey is still awaiting answers",
                           request_id=open_request["request_id"])
    request = ErasureRequest(request_id=str(uuid.uuid4()), journey_id=journey_id,
                             requested_at=clock.now(),
                             requested_by="retention" if purge else uow.actor or "system",
                             was_patient=projection.record.accepted is not None)
    uow.session.add(request)
    uow.emit(ErasureRequested, {"request_id": request.request_id, "purge": purge}, journey_id)
    uow.session.flush()
    return _status(uow.session, settings, request)


# What stays of an erased journey's history: that it was erased, when, and who answered.
SKELETON = ("erasure_requested", "erasure_confirmed", "retention_ended")


def answer_erasure(uow: UnitOfWork, event: Event, clock: ClinicClock, settings: Settings) -> None:
    """Our own erasure_requested: recorded like any fact, then answered for what the journey holds.

    The history holds ids and facts, but health facts among them (an amputation level, a body
    weight), and a parked message or a timer might hold more: an enquirer's go. A patient's record,
    or the screening of someone declined after it, is kept for its retention period instead; a
    purge (that period ended) removes it, leaving the erasure's own facts as the skeleton.
    """
    with uow:
        record(uow, event, clock, settings)
        purge = bool(event.payload.get("purge"))
        if not purge and (reason := _kept_for(uow.session, event.journey_id, settings)):
            confirm_erasure(uow, event, erased=False, retained_reason=reason)
            return
        uow.session.execute(delete(StoredEvent).where(StoredEvent.journey_id == event.journey_id,
                                                      StoredEvent.type.not_in(SKELETON)))
        refresh(uow.session, event.journey_id)
        scrub_kernel(uow.session, kernel, event.journey_id)
        confirm_erasure(uow, event, erased=True)


def _kept_for(session: Session, journey_id: str, settings: Settings) -> str | None:
    """Why the journey's record is kept now (a patient's, or a screening's that declined), if it is."""
    if facts_of(session, journey_id, types=("patient_accepted",)):
        return erasure.retained_reason(settings.retention_years)
    declined = facts_of(session, journey_id, types=("patient_declined",))
    if declined and declined[-1].payload.get("stage") == "screening":
        years = settings.retention.declined_years if settings.retention else settings.retention_years
        return erasure.screening_retained_reason(years)
    return None


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
