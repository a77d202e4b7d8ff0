"""Reads of the projection: the board, one timeline, the patient's own view, the FHIR export."""
from sqlalchemy import bindparam, select

from services.journey.adapters import fhir
from services.journey.domain import patient
from services.journey.domain.facts import aware
from services.journey.domain.stalls import Stall
from services.journey.domain.wording import waiting_label
from services.journey.handlers import board
from services.journey.handlers.projection import projection_of, reading
from services.journey.models import JourneyRow, TimelineEntry
from services.journey.settings import Settings
from shared.clock import ClinicClock
from shared.db import UnitOfWork
from shared.errors import NotFound


def journey_board(uow: UnitOfWork, settings: Settings, clock: ClinicClock, stage: str | None = None,
                  stalled_only: bool = False, limit: int = 200) -> list[dict]:
    """Journeys by stage: stalled ones first (longest stalled first), then the most recently active."""
    with reading(uow) as session:
        judged, _ = board.view(session, settings, clock.today(), stage, "any" if stalled_only else None)
    return [_summary(row, found) for row, found in judged[:limit]]


def board_page(uow: UnitOfWork, settings: Settings, clock: ClinicClock, stage: str | None, stall: str | None,
               page: int, per_page: int) -> dict:
    """One page of the board, in its order, of a stage and stalled for a reason (or for any: `any`),
    with how many journeys match in all and how many of the stage are stalled for each reason."""
    with reading(uow) as session:
        judged, counts = board.view(session, settings, clock.today(), stage, stall)
    start = (page - 1) * per_page
    return {"items": [_summary(row, found) for row, found in judged[start:start + per_page]],
            "total": len(judged), "page": page, "per_page": per_page,
            "stall_counts": [{"reason": reason, "journeys": n} for reason, n in sorted(counts.items())]}


def stages_of(uow: UnitOfWork, journey_ids: list[str]) -> list[dict]:
    """Where each of these journeys is (for a list another service made, e.g. a patient search)."""
    if not journey_ids:
        return []
    with uow:   # one statement: no snapshot to hold (reading()) and no transaction of its own
        uow.one_statement()
        rows = uow.session.execute(select(JourneyRow.journey_id, JourneyRow.stage)
                                   .where(JourneyRow.journey_id.in_(journey_ids))).all()
    return [row._asdict() for row in rows]


ENTRY_COLUMNS = ("position", "event_id", "type", "producer", "caused_by", "caused_by_type", "actor",
                 "summary", "occurred_at")
_TIMELINE = (select(*JourneyRow.__table__.columns,
                    *(TimelineEntry.__table__.c[name].label(f"entry_{name}") for name in ENTRY_COLUMNS))
             .outerjoin(TimelineEntry, TimelineEntry.journey_id == JourneyRow.journey_id)
             .where(JourneyRow.journey_id == bindparam("journey_id")).order_by(TimelineEntry.position))


def journey_timeline(uow: UnitOfWork, settings: Settings, clock: ClinicClock, journey_id: str) -> dict:
    """One journey's facts in causal order, with its stage, waits and stalls: the row and its entries in
    one statement, so they agree without a transaction of their own."""
    today = clock.today()
    with uow:
        uow.one_statement()
        rows = uow.session.execute(_TIMELINE, {"journey_id": journey_id}).all()
    if not rows:
        raise NotFound("no journey with this id", journey_id=journey_id)
    found = board.stalls_of(rows[0], settings, today)
    return dict(_summary(rows[0], found), entries=[
        {name: getattr(row, f"entry_{name}") for name in ENTRY_COLUMNS[:-1]}
        | {"occurred_at": aware(row.entry_occurred_at)} for row in rows if row.entry_position is not None])


def patient_view(uow: UnitOfWork, clock: ClinicClock, journey_id: str) -> dict:
    """The patient's next steps and appointments, in plain words."""
    today = clock.today()
    with reading(uow) as session:
        projection = projection_of(session, journey_id)
    if projection is None:
        raise NotFound("we have no record for this link")
    return {"stage": patient.STAGE_WORDS.get(projection.stage, ""),
            "next_steps": patient.next_steps(projection),
            "appointments": [vars(a) for a in patient.appointments(projection.record, today)]}


def export_fhir(uow: UnitOfWork, clock: ClinicClock, journey_id: str, personal: dict) -> dict:
    """The journey as a FHIR Bundle; `personal` (from enquiries) names the patient, if given."""
    with reading(uow) as session:
        projection = projection_of(session, journey_id)
    if projection is None:
        raise NotFound("no journey with this id", journey_id=journey_id)
    return fhir.bundle(projection, personal, now=clock.now(), timezone=clock.timezone)


def _summary(row: JourneyRow, found: list[Stall]) -> dict:
    waits = [code for code in row.waiting_for.split(",") if code]
    return {"journey_id": row.journey_id, "kind": row.kind, "stage": row.stage, "waiting_for": waits,
            "waiting_labels": [waiting_label(code) for code in waits],
            "stalled": [{"reason": s.reason, "since": s.since} for s in found],
            "started_at": aware(row.started_at), "last_event_at": aware(row.last_event_at),
            "event_count": row.event_count,
            "payment_disputed": row.payment_disputed, "balance_due": row.balance_due}
