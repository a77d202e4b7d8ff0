"""Retention that ends: each journey has one durable timer, `retention:<journey>`, due the day after
its record's retention period ends (domain/retention.py); every new fact moves it. When it fires,
`retention_ended` starts a purge: an erasure request every service answers by erasing even a
patient's record, leaving only the non-personal skeleton."""
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from services.journey.domain import retention
from services.journey.domain.facts import aware
from services.journey.domain.projection import Projection
from services.journey.models import StoredEvent
from services.journey.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.journey import RetentionEnded
from shared.db import UnitOfWork


def kept_now(session, clock: ClinicClock, settings: Settings,
             projection: Projection) -> retention.Kept | None:
    """What the journey's facts, as the clinic recorded them, say is kept and until when."""
    recorded = session.execute(select(StoredEvent.type, func.max(StoredEvent.received_at))
                               .where(StoredEvent.journey_id == projection.journey_id)
                               .group_by(StoredEvent.type))
    days = {kind: aware(at).astimezone(clock.timezone).date() for kind, at in recorded}
    return retention.kept(projection.record, retention.dates_of(days), settings.retention)


def timer_key(journey_id: str) -> str:
    return f"retention:{journey_id}"


def keep_until(uow: UnitOfWork, clock: ClinicClock, settings: Settings,
               projection: Projection | None) -> None:
    """Arm (or move, or cancel) the journey's retention timer for what its facts now say."""
    if projection is None or settings.retention is None:
        return
    kept = kept_now(uow.session, clock, settings, projection)
    if kept is None:
        uow.cancel_timer(timer_key(projection.journey_id))
        return
    due = datetime.combine(kept.until + timedelta(days=1), time(0, 0), clock.timezone)
    uow.schedule(RetentionEnded, {"rule": kept.rule, "kept_until": kept.until}, projection.journey_id,
                 at=due, key=timer_key(projection.journey_id))
