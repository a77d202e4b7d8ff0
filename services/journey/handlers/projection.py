"""Projecting every fact: the journey's event history (journey_events) and the projection from it.

Each journey's projection is recomputed from all its stored events whenever
one arrives, under a per-journey lock, so arrival order never matters; a
rebuild recomputes every journey the same way.
"""
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import delete, distinct, func, insert, select, text, update
from sqlalchemy.orm import Session

from services.journey.domain import deadlines
from services.journey.domain.facts import Fact, aware
from services.journey.domain.projection import Projection, project
from services.journey.domain.retention import OWN
from services.journey.handlers import retention
from services.journey.handlers.board import PROGRESS_COLUMNS
from services.journey.models import JourneyRow, ProjectionVersion, StoredEvent, TimelineEntry
from shared.clock import ClinicClock
from shared.db import UnitOfWork
from shared.events import Event, UnknownEventVersion, schema_for


def record_fact(uow: UnitOfWork, event: Event, clock: ClinicClock, settings=None) -> None:
    """Any event of any stage: stored once in the history, its journey's projection re-derived,
    and its retention timer moved to what the facts now say (when `settings` are given)."""
    with uow:
        record(uow, event, clock, settings)


def record(uow: UnitOfWork, event: Event, clock: ClinicClock, settings=None) -> bool:
    """`record_fact` inside an open unit of work; True if the event was new."""
    lock_journey(uow.session, event.journey_id)
    new = store_event(uow.session, event, clock)
    if new:
        projection = refresh(uow.session, event.journey_id)
        if settings is not None and event.type not in OWN:   # its own facts never move it
            retention.keep_until(uow, clock, settings, projection)
    return new


def rebuild_projection(uow: UnitOfWork) -> dict:
    """Derive the whole projection again from the stored history (the operator's command)."""
    with uow:
        return rebuild_in(uow.session)


# Advisory locks (two-key form): (JOURNEY, crc of the id) per journey; a rebuild takes REBUILD
# exclusively while every journey update holds it shared.
_JOURNEY, _REBUILD = 71, 72


def lock_journey(session: Session, journey_id: str) -> None:
    """Serialise updates of one journey (PostgreSQL; SQLite has a single writer anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(journey_id.encode()) - 2 ** 31  # into int4's range
        session.execute(text("SELECT pg_advisory_xact_lock_shared(:c, 0)"), {"c": _REBUILD})
        session.execute(text("SELECT pg_advisory_xact_lock(:c, :k)"), {"c": _JOURNEY, "k": key})


@contextmanager
def reading(uow: UnitOfWork) -> Iterator[Session]:
    """A read-only unit of work that sees the projection as of one moment.

    Its rows and timeline may not straddle a commit (PostgreSQL reads in READ
    COMMITTED otherwise).
    """
    with uow:
        if uow.session.get_bind().dialect.name == "postgresql":
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield uow.session


def store_event(session: Session, event: Event, clock: ClinicClock) -> bool:
    """Add the event to the history unless it is there already; True if it was new."""
    if session.scalar(select(StoredEvent.id).where(StoredEvent.event_id == event.event_id)):
        return False
    session.add(StoredEvent(
        event_id=event.event_id, journey_id=event.journey_id, producer=event.producer, type=event.type,
        version=event.version, occurred_at=event.occurred_at, causation_id=event.causation_id,
        correlation_id=event.correlation_id, actor=event.actor, payload=json.dumps(event.wire_payload),
        received_at=clock.now()))
    session.flush()
    return True


def to_fact(row: StoredEvent) -> Fact:
    wire = json.loads(row.payload)
    try:
        payload = schema_for(row.type, row.version).load(wire, unknown=EXCLUDE)
    except (UnknownEventVersion, ValidationError):
        payload = wire  # a contract since retired: the fact still belongs to the timeline
    return Fact(event_id=row.event_id, type=row.type, producer=row.producer,
                occurred_at=aware(row.occurred_at), payload=payload, causation_id=row.causation_id,
                actor=row.actor)


def facts_of(session: Session, journey_id: str, types: tuple[str, ...] = ()) -> list[Fact]:
    query = select(StoredEvent).where(StoredEvent.journey_id == journey_id)
    if types:
        query = query.where(StoredEvent.type.in_(types))
    return [to_fact(row) for row in session.scalars(query)]


def projection_of(session: Session, journey_id: str) -> Projection | None:
    facts = facts_of(session, journey_id)
    return project(journey_id, facts) if facts else None


def refresh(session: Session, journey_id: str) -> Projection | None:
    """Recompute one journey's projection rows from its history."""
    session.execute(delete(TimelineEntry).where(TimelineEntry.journey_id == journey_id))
    session.execute(delete(JourneyRow).where(JourneyRow.journey_id == journey_id))
    projection = projection_of(session, journey_id)
    if projection is not None:
        _write(session, projection, next_version(session))
    return projection


def next_version(session: Session, *, rebuilt: bool = False) -> int:
    """The projection's next version (and generation, for a rebuild). Its row stays locked until this
    transaction commits, so versions become visible in the order they were given: a reader that has
    seen version n has seen every write up to n. Taken last, just before the commit, to hold it briefly."""
    bump = {"version": ProjectionVersion.version + 1}
    if rebuilt:
        bump["generation"] = ProjectionVersion.generation + 1
    version = session.scalar(update(ProjectionVersion).where(ProjectionVersion.id == 1).values(**bump)
                             .returning(ProjectionVersion.version))
    if version is None:   # a database made from the models, not the migrations
        session.execute(insert(ProjectionVersion).values(id=1, version=1, generation=0))
        version = 1
    return version


def _write(session: Session, p: Projection, version: int) -> None:
    r, progress = p.record, p.progress
    session.add(JourneyRow(
        journey_id=p.journey_id, kind=r.kind, stage=p.stage, waiting_for=",".join(p.waiting_for),
        started_at=r.first_at, last_event_at=r.last_at, event_count=r.count,
        overdue=deadlines.dump(progress.overdue), version=version,
        **{name: getattr(progress, name) for name in PROGRESS_COLUMNS if name not in ("stage", "kind")}))
    session.add_all(TimelineEntry(journey_id=p.journey_id, **vars(entry)) for entry in p.timeline)
    session.flush()


def rebuild_in(session: Session, progress=iter) -> dict:
    """Drop the projection and derive it again from the whole history.

    `progress` wraps the journeys loop (the operator CLI passes a progress bar).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:c, 0)"), {"c": _REBUILD})
    versions = dict(session.execute(select(JourneyRow.journey_id, JourneyRow.version)).all())
    session.execute(delete(TimelineEntry))
    session.execute(delete(JourneyRow))
    journeys = list(session.scalars(select(distinct(StoredEvent.journey_id))))
    version = next_version(session, rebuilt=True)   # a new generation: kept boards judge everything again
    for journey_id in progress(journeys):   # the same projection, to its rows' versions
        _write(session, project(journey_id, facts_of(session, journey_id)), versions.get(journey_id, version))
    events = session.scalar(select(func.count()).select_from(StoredEvent))
    return {"journeys": len(journeys), "events": events}


def rebuild(store, progress=iter) -> dict:
    """The operator's rebuild (`python -m ops rebuild-projections`); `store` is a shared.db.Store
    on the journey database. Returns how many journeys and events it went through."""
    with store.session() as session:
        return rebuild_in(session, progress)
