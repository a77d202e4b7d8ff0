"""Reads of the projection: the board, one timeline, the patient's view, erasure status."""
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.journey import history
from services.journey.domain import erasure, patient
from services.journey.domain.facts import aware
from services.journey.domain.stalls import Stall, stalls
from services.journey.domain.status import Progress
from services.journey.domain.wording import waiting_label
from services.journey.models import ErasureRequest, JourneyRow, StoredEvent, TimelineEntry
from services.journey.settings import Settings
from shared.errors import NotFound


def _progress(row: JourneyRow) -> Progress:
    return Progress(stage=row.stage, kind=row.kind, enquiry_received_at=row.enquiry_received_at,
                    answered=row.answered, accepted_on=row.accepted_on, deposit_paid=row.deposit_paid,
                    review_due=row.review_due, conflict_open_since=row.conflict_open_since)


def _summary(row: JourneyRow, found: list[Stall]) -> dict:
    waits = [code for code in row.waiting_for.split(",") if code]
    return {"journey_id": row.journey_id, "kind": row.kind, "stage": row.stage, "waiting_for": waits,
            "waiting_labels": [waiting_label(code) for code in waits],
            "stalled": [{"reason": s.reason, "since": s.since} for s in found],
            "started_at": aware(row.started_at), "last_event_at": aware(row.last_event_at),
            "event_count": row.event_count}


def board(session: Session, settings: Settings, today: date, stage: str | None = None,
          stalled_only: bool = False, limit: int = 200) -> list[dict]:
    """Journeys by stage: stalled ones first (longest stalled first), then the most recently active."""
    query = select(JourneyRow)
    if stage:
        query = query.where(JourneyRow.stage == stage)
    rows = [(row, stalls(_progress(row), today, settings.limits, settings.holidays))
            for row in session.scalars(query)]
    if stalled_only:
        rows = [(row, found) for row, found in rows if found]
    stalled = sorted((r for r in rows if r[1]), key=lambda r: (r[1][0].since, r[0].journey_id))
    active = sorted((r for r in rows if not r[1]), key=lambda r: aware(r[0].last_event_at), reverse=True)
    return [_summary(row, found) for row, found in (stalled + active)[:limit]]


def timeline(session: Session, journey_id: str, settings: Settings, today: date) -> dict:
    row = session.get(JourneyRow, journey_id)
    if row is None:
        raise NotFound("no journey with this id", journey_id=journey_id)
    entries = session.scalars(select(TimelineEntry).where(TimelineEntry.journey_id == journey_id)
                              .order_by(TimelineEntry.position))
    found = stalls(_progress(row), today, settings.limits, settings.holidays)
    return dict(_summary(row, found), entries=[
        {column: getattr(entry, column) for column in ("position", "event_id", "type", "producer",
                                                       "caused_by", "caused_by_type", "actor", "summary")}
        | {"occurred_at": aware(entry.occurred_at)} for entry in entries])


def patient_view(session: Session, journey_id: str, today: date) -> dict:
    projection = history.projection_of(session, journey_id)
    if projection is None:
        raise NotFound("we have no record for this link")
    return {"stage": patient.STAGE_WORDS.get(projection.stage, ""),
            "next_steps": patient.next_steps(projection),
            "appointments": [vars(a) for a in patient.appointments(projection.record, today)]}


def answers(session: Session, request_id: str, journey_id: str) -> list[erasure.Answer]:
    rows = session.scalars(select(StoredEvent).where(StoredEvent.journey_id == journey_id,
                                                     StoredEvent.type == "erasure_confirmed"))
    found = []
    for row in rows:
        payload = json.loads(row.payload)
        if payload.get("request_id") == request_id:
            found.append(erasure.Answer(payload["service"], payload["erased"],
                                        payload.get("retained_reason"), aware(row.occurred_at)))
    return erasure.latest_answers(found)


def erasure_status(session: Session, request: ErasureRequest, settings: Settings) -> dict:
    given = answers(session, request.request_id, request.journey_id)
    return {"request_id": request.request_id, "journey_id": request.journey_id,
            "requested_at": aware(request.requested_at), "requested_by": request.requested_by,
            "was_patient": request.was_patient,
            "status": erasure.status(settings.erasure_services, given),
            "awaiting": sorted(set(settings.erasure_services) - {a.service for a in given}),
            "answers": [vars(a) for a in given]}


def erasure_requests(session: Session, journey_id: str, settings: Settings) -> list[dict]:
    requests = session.scalars(select(ErasureRequest).where(ErasureRequest.journey_id == journey_id)
                               .order_by(ErasureRequest.requested_at.desc()))
    return [erasure_status(session, request, settings) for request in requests]
