"""The board in the board's order, kept by each journey process in step with the projection.

Judging every journey's stalls for every page read (10,000 rows, each through the stall rules) made a page
cost the whole projection. Instead each process keeps every journey judged for today, in order: stalled
ones first (longest stalled first), then the most recently active. Each read looks up the projection's
version in its own snapshot; the journeys written since the kept version (their rows carry the version
of their write, indexed) are read and judged again, and only then is the order made again. Versions are
given in commit order (handlers/projection.next_version), so a read never misses a write it could see:
what a page shows is what the database shows in that read's snapshot, never older. A new day, a rebuilt
projection or other settings judge everything again.
"""
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.journey.domain import deadlines
from services.journey.domain.facts import aware
from services.journey.domain.stalls import Stall, stalls
from services.journey.domain.status import Progress
from services.journey.models import JourneyRow, ProjectionVersion

COLUMNS = tuple(JourneyRow.__table__.columns)


@dataclass
class Kept:
    """Every journey judged on `today`, as of `version` of projection `generation`."""
    today: date
    generation: int
    version: int
    judged: dict = field(default_factory=dict)     # journey id -> (row, stalls)
    ordered: list | None = None                    # the board's order, made again after a change
    views: dict = field(default_factory=dict)      # (stage, stall) -> its journeys in order, stall counts


_KEPT: dict[tuple, Kept] = {}   # per database and settings (a test process runs several systems)


def _kept(session: Session, settings, today: date) -> Kept:
    """The kept board brought up to this snapshot's version of the projection."""
    key = (str(session.get_bind().url), id(settings))
    generation, version = session.execute(
        select(ProjectionVersion.generation, ProjectionVersion.version)).one_or_none() or (0, 0)
    kept = _KEPT.get(key)
    if kept is None or kept.today != today or kept.generation != generation or kept.version > version:
        kept = Kept(today, generation, -1)
    if kept.version != version:
        changed = select(*COLUMNS)
        if kept.version >= 0:
            changed = changed.where(JourneyRow.version > kept.version)
        for row in session.execute(changed):
            kept.judged[row.journey_id] = (row, stalls(progress(row), today, settings.limits,
                                                       settings.holidays))
        kept.version, kept.ordered, kept.views = version, None, {}
        _KEPT[key] = kept
    if kept.ordered is None:
        kept.ordered = _order(kept.judged.values())
    return kept


def judged(session: Session, settings, today: date, stage: str | None = None) -> list[tuple]:
    """Every journey (of `stage`) with its stalls today, in the board's order; `session` reads in one
    snapshot (views.reading)."""
    return view(session, settings, today, stage, None)[0]


def view(session: Session, settings, today: date, stage: str | None, stall: str | None) -> tuple:
    """The journeys of `stage` stalled for `stall` (any: `any`; None: all) in the board's order, and how
    many of the stage are stalled for each reason."""
    kept = _kept(session, settings, today)
    if (stage, stall) not in kept.views:
        rows = kept.ordered if stage is None else [r for r in kept.ordered if r[0].stage == stage]
        counts = Counter(reason for _, found in rows for reason in {s.reason for s in found})
        if stall:
            rows = [(row, found) for row, found in rows
                    if found and (stall == "any" or any(s.reason == stall for s in found))]
        kept.views[(stage, stall)] = rows, counts
    return kept.views[(stage, stall)]


def _order(rows) -> list[tuple]:
    stalled = sorted((r for r in rows if r[1]), key=lambda r: (r[1][0].since, r[0].journey_id))
    active = sorted((r for r in rows if not r[1]), key=lambda r: aware(r[0].last_event_at), reverse=True)
    return stalled + active


# The journey row's columns that hold a Progress field of the same name (`overdue` is stored encoded).
PROGRESS_COLUMNS = tuple(f.name for f in fields(Progress) if f.name != "overdue")


def progress(row) -> Progress:
    return Progress(**{name: getattr(row, name) for name in PROGRESS_COLUMNS},
                    overdue=deadlines.load(row.overdue))


def stalls_of(row, settings, today: date) -> list[Stall]:
    return stalls(progress(row), today, settings.limits, settings.holidays)
