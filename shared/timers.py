"""Durable timers: facts a use case schedules for later, emitted as ordinary events when due.

`uow.schedule(Contract, payload, journey_id, at=..., key=...)` arms a row in the service's
`timers` table in the use case's own transaction (so a rolled-back use case schedules
nothing); the same key moves it, `uow.cancel_timer(key)` cancels it. The timer relay, started
by the Database provider beside the outbox relay, finds the timers that are due by the clinic
clock (which honours the demo's simulated date) and, for each, in one transaction, writes its
event to the outbox and marks it fired; the outbox relay publishes it. It only touches the
database, so a timer outlives a restart and a broker outage, and fires when the service is back.

Fired once: on PostgreSQL each relay locks the rows it fires (FOR UPDATE SKIP LOCKED), the
mark is conditional on the row being still pending, and the event's id is derived from the
timer's key, due time and arming, so even a double fire is one event for every inbox.
"""
import json
import logging
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import eventlet
from eventlet.queue import Empty, Full, LightQueue
from sqlalchemy import DateTime, Table, bindparam, delete, select, text, update
from sqlalchemy.orm import Session

from shared.clock import ClinicClock, aware
from shared.events import Event, EventContractError, new_event, to_wire

log = logging.getLogger(__name__)

# Upserted by key: a pending timer is moved, a fired one armed again.
ARM = text(
    'INSERT INTO timers ("key", event_type, event_version, journey_id, payload, context, due_at, '
    'scheduled_at, fired_at, event_id) VALUES (:key, :event_type, :event_version, :journey_id, '
    ':payload, :context, :due_at, :scheduled_at, NULL, NULL) ON CONFLICT ("key") DO UPDATE SET '
    'event_type = excluded.event_type, event_version = excluded.event_version, '
    'journey_id = excluded.journey_id, payload = excluded.payload, context = excluded.context, '
    'due_at = excluded.due_at, scheduled_at = excluded.scheduled_at, fired_at = NULL, event_id = NULL'
).bindparams(bindparam("due_at", type_=DateTime(timezone=True)),
             bindparam("scheduled_at", type_=DateTime(timezone=True)))
# The outbox may already hold a timer's event (a double fire): the event id is the same.
OUTBOX_ONCE = text(
    "INSERT INTO outbox (event_id, event_type, journey_id, body, created_at) "
    "VALUES (:event_id, :event_type, :journey_id, :body, :created_at) ON CONFLICT (event_id) DO NOTHING"
).bindparams(bindparam("created_at", type_=DateTime(timezone=True)))
TIMER_EVENTS = uuid.UUID("6f1c2b8e-0a4d-4f6e-9a51-3c7d2e9b8a10")


def arm(session: Session, table: Table, event: Event, *, at: datetime, key: str) -> None:
    """Arm (or move, or re-arm) the timer `key` to emit `event`'s payload and context at `at`."""
    context = {"causation_id": event.causation_id, "correlation_id": event.correlation_id,
               "actor": event.actor}
    session.execute(ARM, {
        "key": key, "event_type": event.type, "event_version": event.version,
        "journey_id": event.journey_id, "payload": json.dumps(event.wire_payload),
        "context": json.dumps(context), "due_at": at.astimezone(UTC), "scheduled_at": datetime.now(UTC)})


def cancel(session: Session, table: Table, *, key: str | None = None, journey_id: str | None = None,
           prefix: str | None = None) -> int:
    """Delete pending timers by key, journey and/or key prefix; fired ones stay as history."""
    query = delete(table).where(table.c.fired_at.is_(None))
    if key is not None:
        query = query.where(table.c.key == key)
    if journey_id is not None:
        query = query.where(table.c.journey_id == str(journey_id))
    if prefix is not None:
        query = query.where(table.c.key.startswith(prefix, autoescape=True))
    return session.execute(query).rowcount


def after_day(clock: ClinicClock, last_day: date) -> datetime:
    """The instant a deadline on `last_day` has passed: the clinic's midnight ending that day."""
    return clock.at(last_day + timedelta(days=1), time(0))


def event_id_for(producer: str, key: str, due_at: datetime, scheduled_at: datetime) -> str:
    """The same timer armed once gives the same event id, however often it is fired."""
    stamp = f"{producer}|{key}|{aware(due_at).isoformat()}|{aware(scheduled_at).isoformat()}"
    return str(uuid.uuid5(TIMER_EVENTS, stamp))


class TimerRelay:
    """Emits this service's due timers through its outbox (woken on schedule; also polls)."""

    def __init__(self, store, producer: str, clock: ClinicClock, *, on_fired=None,
                 batch_size: int = 100, poll_interval: float = 1.0):
        self._store = store
        self._producer = producer
        self._clock = clock
        self._on_fired = on_fired
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wakeups = LightQueue(maxsize=1)
        self._thread = None

    def start(self) -> None:
        self._thread = eventlet.spawn(self._run)

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.kill()
            self._thread = None

    def wake(self) -> None:
        try:
            self._wakeups.put_nowait(True)
        except Full:
            pass  # a wake-up is already pending

    def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                while self.fire_due() == self._batch_size:
                    pass
                backoff = 0.5
            except Exception as exc:  # database away: say so once per try, retry
                log.warning("timer relay could not fire due timers (%s: %s); retrying in %.1fs",
                            type(exc).__name__, exc, backoff)
                eventlet.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            try:
                self._wakeups.get(timeout=self._poll_interval)
            except Empty:
                pass

    def fire_due(self) -> int:
        """Fire one batch of due timers (each into the outbox, marked fired); returns how many."""
        table = self._store.kernel.timers
        query = (select(table).where(table.c.fired_at.is_(None), table.c.due_at <= self._clock.now())
                 .order_by(table.c.due_at, table.c.id).limit(self._batch_size))
        if not self._store.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        with self._store.session() as session:
            rows = session.execute(query).all()
            fired = sum(self._fire(session, table, row) for row in rows)
        if fired and self._on_fired is not None:
            self._on_fired()
        return len(rows)

    def _fire(self, session: Session, table: Table, row) -> bool:
        try:
            event = self._event(row, event_id_for(self._producer, row.key, row.due_at, row.scheduled_at))
        except EventContractError:  # its contract changed under it: say so, and never loop on it
            log.error("a due timer no longer fits its contract and was not emitted",
                      extra={"timer_key": row.key, "journey_id": row.journey_id})
            event = None
        marked = session.execute(update(table).where(
            table.c.id == row.id, table.c.fired_at.is_(None), table.c.scheduled_at == row.scheduled_at,
        ).values(fired_at=datetime.now(UTC), event_id=event and event.event_id)).rowcount
        if not marked or event is None:
            return False  # another relay fired it first (SQLite has no SKIP LOCKED), or it cannot be
        session.execute(OUTBOX_ONCE, {"event_id": event.event_id, "event_type": event.type,
                                      "journey_id": event.journey_id, "body": json.dumps(to_wire(event)),
                                      "created_at": event.occurred_at})
        log.info("timer fired", extra={"timer_key": row.key, "journey_id": row.journey_id,
                                       "event_type": row.event_type, "event_id": event.event_id})
        return True

    def _event(self, row, event_id: str) -> Event:
        context = json.loads(row.context or "{}")
        event = new_event(self._producer, row.event_type, json.loads(row.payload), row.journey_id,
                          cause=context.get("causation_id"), correlation_id=context.get("correlation_id"),
                          actor=context.get("actor"), version=row.event_version)
        return replace(event, event_id=event_id, correlation_id=context.get("correlation_id") or event_id)
