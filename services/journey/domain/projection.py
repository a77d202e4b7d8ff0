"""One journey's projection: its record, stage, waits and timeline, from its facts alone.

The same facts give the same projection whatever order or how many times
they arrived; this is what makes a rebuild from the history safe.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from services.journey.domain.facts import Fact, aware, causal_order
from services.journey.domain.fold import fold
from services.journey.domain.record import Record
from services.journey.domain.status import Progress, progress, stage, waiting_for
from services.journey.domain.wording import summary


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: what, when, caused by what, by whom (if known)."""
    position: int
    event_id: str
    type: str
    producer: str
    occurred_at: datetime
    caused_by: str | None
    caused_by_type: str | None
    actor: str | None
    summary: str


@dataclass(frozen=True)
class Projection:
    journey_id: str
    record: Record
    stage: str
    waiting_for: list[str]
    progress: Progress
    timeline: list[Entry]


def project(journey_id: str, facts: Iterable[Fact]) -> Projection:
    ordered = causal_order(facts)
    record = fold(journey_id, ordered)
    current = stage(record)
    types = {fact.event_id: fact.type for fact in ordered}
    timeline = [Entry(position=i, event_id=f.event_id, type=f.type, producer=f.producer,
                      occurred_at=aware(f.occurred_at), caused_by=f.causation_id,
                      caused_by_type=types.get(f.causation_id), actor=f.actor, summary=summary(f))
                for i, f in enumerate(ordered, start=1)]
    return Projection(journey_id=journey_id, record=record, stage=current,
                      waiting_for=waiting_for(record, current), progress=progress(record, current),
                      timeline=timeline)
