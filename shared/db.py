"""The database dependency: a unit of work per worker, and the outbox and timer relays.

A use case schedules a future fact with `uow.schedule(...)` in its own transaction
(shared/timers.py arms the row; the timer relay emits it once due).

In an RPC worker whose caller gave a command id (context data `command_id`, see
shared/context.py), the unit of work records the command in the `commands` table in the
same transaction as its first write: a redelivered command (nameko hands an unacked RPC out
again when the broker returns) finds its row before it does anything, and the rpc entrypoint
(shared/consumers.py) answers with the reply kept there instead of running it again.

SQLite (the embedded default) gets one connection guarded by a green lock:
sqlite allows one writer, and greenthreads waiting on its file lock would
block the whole process. PostgreSQL gets a pool (psycopg2, made cooperative
by eventlet's monkey-patching).
"""
import json
import logging
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import eventlet
from eventlet.semaphore import Semaphore
from kombu.utils import json as wire_json
from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from sqlalchemy import DateTime, bindparam, create_engine, insert, select, text
from sqlalchemy import event as sa_event
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from shared import timers
from shared.clock import clinic_clock
from shared.config import database_url, section
from shared.errors import Conflict
from shared.events import Event, new_event, to_wire
from shared.tables import KernelTables

log = logging.getLogger(__name__)

# Plain SQL that PostgreSQL and SQLite both speak, built once: SQLAlchemy does
# not cache its dialect upsert constructs, and this runs for every event.
RECORD_HANDLED = text(
    "INSERT INTO inbox (consumer, event_id, journey_id, processed_at) "
    "VALUES (:consumer, :event_id, :journey_id, :processed_at) ON CONFLICT DO NOTHING"
).bindparams(bindparam("processed_at", type_=DateTime(timezone=True)))
RECORD_COMMAND = text(
    "INSERT INTO commands (consumer, command_id, recorded_at) "
    "VALUES (:consumer, :command_id, :recorded_at) ON CONFLICT DO NOTHING"
).bindparams(bindparam("recorded_at", type_=DateTime(timezone=True)))
# How long a repeat waits for the first delivery's reply (kept just after its use case returns).
REPLY_WAIT_SECONDS = 5.0


class TrackedSession(Session):
    """A session that notes whether it wrote anything (info["wrote"]): a command is recorded
    with its first write, and a read-only RPC records nothing."""


@sa_event.listens_for(TrackedSession, "do_orm_execute")
def _note_statement(state) -> None:
    statement = state.statement
    writes = getattr(statement, "is_dml", False) or (
        not getattr(statement, "is_select", False) and not str(statement).lstrip()[:6].upper() == "SELECT")
    if writes:
        state.session.info["wrote"] = True


@sa_event.listens_for(TrackedSession, "after_flush")
def _note_flush(session, _context) -> None:
    session.info["wrote"] = True


class _UtcDateTime(SQLITE_DATETIME):
    """SQLite keeps a datetime's digits and drops its offset: an instant is stored in UTC, as
    PostgreSQL's timestamptz does, so that `shared.clock.aware` reads it back as the same instant
    (10:00+01:00 sent is 09:00 stored, never 10:00 read as UTC)."""

    def bind_processor(self, dialect):
        digits = super().bind_processor(dialect)

        def in_utc(value):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.astimezone(UTC)
            return digits(value) if digits else value
        return in_utc


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False, "timeout": 30})
        # Every DateTime of every table and query, in one place, before the first statement.
        engine.dialect.colspecs = {**engine.dialect.colspecs, sqltypes.DateTime: _UtcDateTime}

        @sa_event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
        return engine
    # No pre-ping: it is a round trip before every unit of work (a tenth of a handled event's time).
    # A connection the server dropped fails its statement once; SQLAlchemy then discards the pool's
    # connections, and the worker's retry (an event's schedule, a caller's repeat) gets a fresh one.
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=False, pool_recycle=3600)


class Store:
    """An engine plus the lock that serialises SQLite's single writer."""

    def __init__(self, url: str, kernel: KernelTables):
        self.url = url
        self.kernel = kernel
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._lock = Semaphore(1) if self.is_sqlite else None

    @contextmanager
    def session(self):
        """A session in one transaction: committed on success, rolled back on error."""
        if self._lock:
            self._lock.acquire()
        try:
            with TrackedSession(self.engine, expire_on_commit=False) as session:
                with session.begin():
                    yield session
        finally:
            if self._lock:
                self._lock.release()

    def already_handled(self, consumer: str, event_id: str) -> bool:
        with self.session() as session:
            inbox = self.kernel.inbox
            found = session.execute(select(inbox.c.event_id).where(
                inbox.c.consumer == consumer, inbox.c.event_id == event_id)).first()
        return found is not None

    def record_handled(self, session: Session, consumer: str, event: Event) -> bool:
        """Add the event to the consumer's inbox; False if it was there already.

        On PostgreSQL a concurrent duplicate waits for the first to commit,
        then finds the row: the same event never has its effect twice.
        """
        result = session.execute(RECORD_HANDLED, {
            "consumer": consumer, "event_id": event.event_id, "journey_id": event.journey_id,
            "processed_at": datetime.now(UTC)})
        return result.rowcount == 1

    def record_command(self, session: Session, consumer: str, command_id: str) -> bool:
        """Add the command to the consumer's log; False if it was there already (on PostgreSQL a
        concurrent duplicate waits for the first to commit, then finds the row)."""
        result = session.execute(RECORD_COMMAND, {"consumer": consumer, "command_id": command_id,
                                                  "recorded_at": datetime.now(UTC)})
        return result.rowcount == 1

    def command_done(self, session: Session, consumer: str, command_id: str) -> bool:
        commands = self.kernel.commands
        return session.execute(select(commands.c.command_id).where(
            commands.c.consumer == consumer, commands.c.command_id == command_id)).first() is not None

    def command_reply(self, consumer: str, command_id: str) -> str | None:
        """The reply kept for a command (JSON), or None while it is not kept."""
        commands = self.kernel.commands
        with self.session() as session:
            return session.execute(select(commands.c.reply).where(
                commands.c.consumer == consumer, commands.c.command_id == command_id)).scalar()

    def keep_reply(self, consumer: str, command_id: str, reply: str) -> None:
        commands = self.kernel.commands
        with self.session() as session:
            session.execute(commands.update().where(
                commands.c.consumer == consumer, commands.c.command_id == command_id).values(reply=reply))

    def ping(self) -> None:
        with self.session() as session:
            session.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


class DuplicateEvent(Exception):
    """The event was already handled by this consumer: its effect must not repeat."""


class DuplicateCommand(Exception):
    """This RPC command (its command id) was already carried out: answer with its kept reply."""


class UnitOfWork:
    """One transaction: the state changes and the events that announce them.

    `with uow:` opens a session; `uow.emit(...)` adds an event to the outbox in
    the same transaction. When the worker handles an event, the inbox row for
    it is written in that transaction too, so its effect happens once; when it
    carries out an RPC command with a command id (`command` = (consumer, id)),
    the command's row is written with its first write, so its effect happens once.
    """

    def __init__(self, store: Store, producer: str, on_commit, *, event: Event | None = None,
                 consumer: str | None = None, context: dict | None = None,
                 command: tuple[str, str] | None = None, on_schedule=None):
        self._store = store
        self._producer = producer
        self._on_commit = on_commit
        self.event = event
        self._consumer = consumer
        self.context = context or {}
        self.session: Session | None = None
        self._cm = None
        self._emitted = 0
        self._on_schedule = on_schedule
        self._scheduled = 0
        self.handled_recorded = False
        self.command = command
        self.command_recorded = False
        self._command_checked = False

    @property
    def producer(self) -> str:
        """The service this unit of work belongs to (its events' producer)."""
        return self._producer

    @property
    def actor(self) -> str | None:
        """Who asked for this change (a staff id, or None for the system)."""
        return self.context.get("actor")

    def __enter__(self) -> "UnitOfWork":
        if self.session is not None:
            raise RuntimeError("unit of work is already open")
        self._cm = self._store.session()
        self.session = self._cm.__enter__()
        self._emitted = self._scheduled = 0
        if self.event is not None and not self.handled_recorded:
            if not self._store.record_handled(self.session, self._consumer, self.event):
                self.__exit__(DuplicateEvent, None, None)
                raise DuplicateEvent(self.event.event_id)
        if self.command is not None and not self._command_checked:
            # A repeat stops here, before its use case reads a state it already changed.
            self._command_checked = True
            if self._store.command_done(self.session, *self.command):
                self.__exit__(DuplicateCommand, None, None)
                raise DuplicateCommand(self.command[1])
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and self.command is not None and not self.command_recorded:
            try:
                recorded = self._record_command()
            except BaseException as error:
                self._close(type(error), error, error.__traceback__)
                raise
            self._close(None, None, None)
            self.command_recorded = recorded
            return False
        return self._close(exc_type, exc, tb)

    def _record_command(self) -> bool:
        """With the transaction's first write, the command's row; a concurrent delivery that
        recorded it first makes this one roll back."""
        self.session.flush()
        if not (self._emitted or self.session.info.get("wrote")):
            return False
        if not self._store.record_command(self.session, *self.command):
            raise DuplicateCommand(self.command[1])
        return True

    def _close(self, exc_type, exc, tb):
        cm, self._cm, self.session = self._cm, None, None
        if exc_type is not None and exc is None:
            exc = exc_type()  # contextmanager.__exit__ needs an instance to roll back
        cm.__exit__(exc_type, exc, tb)
        if exc_type is None:
            if self.event is not None:
                self.handled_recorded = True
            if self._emitted:
                self._on_commit()
            if self._scheduled and self._on_schedule is not None:
                self._on_schedule()  # a timer already due fires now, not at the next poll
        return False

    def answer_command(self, result, exc_info):
        """The RPC's answer, given what its worker did (called by the rpc entrypoint).

        A command that wrote keeps its reply (JSON, as kombu sends it); a repeat answers with
        that reply, waiting briefly while the first delivery finishes. Read-only or failed
        commands keep nothing: a failure rolled back its effect, so a repeat runs afresh.
        """
        if self.command is None:
            return result, exc_info
        if exc_info is not None and isinstance(exc_info[1], DuplicateCommand):
            return self._kept_reply()
        if exc_info is None and self.command_recorded:
            try:
                self._store.keep_reply(*self.command, wire_json.dumps(result))
            except Exception:
                log.exception("could not keep an RPC command's reply", extra={"command_id": self.command[1]})
        return result, exc_info

    def _kept_reply(self):
        deadline = time.monotonic() + REPLY_WAIT_SECONDS
        while (reply := self._store.command_reply(*self.command)) is None and time.monotonic() < deadline:
            eventlet.sleep(0.05)
        if reply is not None:
            log.info("a repeated RPC command answered from its kept reply",
                     extra={"consumer": self.command[0], "command_id": self.command[1]})
            return wire_json.loads(reply), None
        try:  # the effect is there, its reply is not (the first delivery failed after its commit)
            raise Conflict("this command was already carried out; its answer was not kept",
                           command_id=self.command[1])
        except Conflict:
            return None, sys.exc_info()

    def ping(self) -> None:
        """Raise if the database cannot be reached."""
        self._store.ping()

    def one_statement(self) -> None:
        """Called first in `with uow:` whose work is one statement (a read, or one insert of many rows):
        on PostgreSQL it runs without a BEGIN and COMMIT of its own, two round trips fewer on a path
        taken by every request (the sign-in check, a search and its access log). A statement is atomic
        by itself; the pool gives the connection back in its usual isolation."""
        if not self._store.is_sqlite:
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    def emit(self, event_type, payload: dict, journey_id: str, *,
             version: int | None = None) -> Event:
        """Record an event in the outbox; it is published after commit.

        `event_type` is the contract class (shared/contracts), or its type name.
        """
        if self.session is None:
            raise RuntimeError("emit() needs an open unit of work")
        event = new_event(self._producer, event_type, payload, journey_id,
                          cause=self.event or self.context.get("causation_id"),
                          correlation_id=self.context.get("correlation_id"),
                          actor=self.actor, version=version)
        self.session.execute(insert(self._store.kernel.outbox).values(
            event_id=event.event_id, event_type=event.type, journey_id=event.journey_id,
            body=json.dumps(to_wire(event)), created_at=event.occurred_at))
        self._emitted += 1
        return event

    def schedule(self, event_type, payload: dict, journey_id: str, *, at: datetime, key: str) -> None:
        """Arrange for an event to be emitted at `at` (an aware instant), in this transaction.

        The payload is validated by its contract now, as emit() does. `key` names the timer
        (e.g. "deposit_overdue:<invoice id>"): scheduling it again moves a pending timer (new
        time and payload) and arms one that already fired. The fired event keeps this unit of
        work's cause, correlation and actor. Rolled back with the transaction, like emit().
        """
        if self.session is None:
            raise RuntimeError("schedule() needs an open unit of work")
        if at.tzinfo is None:
            raise ValueError("a timer's time must be aware (carry its UTC offset)")
        # Built as emit() would build it: the contract checks the payload, and the envelope
        # fields tell what caused the schedule; the timer relay builds the real event when due.
        event = new_event(self._producer, event_type, payload, journey_id,
                          cause=self.event or self.context.get("causation_id"),
                          correlation_id=self.context.get("correlation_id"), actor=self.actor)
        timers.arm(self.session, self._store.kernel.timers, event, at=at, key=key)
        self._scheduled += 1

    def cancel_timer(self, key: str) -> bool:
        """Cancel the pending timer with this key; False if there was none (or it already fired)."""
        if self.session is None:
            raise RuntimeError("cancel_timer() needs an open unit of work")
        return timers.cancel(self.session, self._store.kernel.timers, key=key) == 1

    def cancel_timers(self, *, journey_id: str | None = None, prefix: str | None = None) -> int:
        """Cancel every pending timer of a journey and/or whose key starts with `prefix`;
        returns how many were cancelled."""
        if self.session is None:
            raise RuntimeError("cancel_timers() needs an open unit of work")
        if journey_id is None and prefix is None:
            raise ValueError("cancel_timers() needs a journey_id or a key prefix")
        return timers.cancel(self.session, self._store.kernel.timers, journey_id=journey_id, prefix=prefix)

class Database(DependencyProvider):
    """Injects a UnitOfWork per worker and runs this service's outbox and timer relays.

    The database URL comes from config DATABASES[<service name>]; the relays' pace from
    OUTBOX and TIMERS.
    """

    def __init__(self, kernel: KernelTables):
        self.kernel = kernel
        self.store: Store | None = None
        self.relay = None
        self.timer_relay = None

    def setup(self):
        from shared.outbox import OutboxRelay
        config = self.container.config
        self.store = Store(database_url(config, self.container.service_name), self.kernel)
        outbox = section(config, "OUTBOX", batch_size=200, poll_interval_seconds=1.0)
        self.relay = OutboxRelay(self.store, config["AMQP_URI"], self.container.service_name,
                                 batch_size=int(outbox["batch_size"]),
                                 poll_interval=float(outbox["poll_interval_seconds"]))
        pace = section(config, "TIMERS", batch_size=100, poll_interval_seconds=1.0)
        self.timer_relay = timers.TimerRelay(self.store, self.container.service_name, clinic_clock(config),
                                             on_fired=self.relay.wake, batch_size=int(pace["batch_size"]),
                                             poll_interval=float(pace["poll_interval_seconds"]))

    def start(self):
        self.relay.start()
        self.timer_relay.start()

    def stop(self):
        self.timer_relay.stop()
        self.relay.stop()
        self.store.dispose()

    def kill(self):
        self.timer_relay.stop()
        self.relay.stop()

    def get_dependency(self, worker_ctx):
        event = worker_ctx.args[0] if worker_ctx.args and isinstance(worker_ctx.args[0], Event) else None
        consumer = getattr(worker_ctx.entrypoint, "consumer_name", None)
        data = worker_ctx.data
        context = {"actor": data.get("actor"), "correlation_id": data.get("correlation_id"),
                   "causation_id": data.get("causation_id")}
        command = None
        if data.get("command_id") and isinstance(worker_ctx.entrypoint, Rpc):
            command = (f"{self.container.service_name}.{worker_ctx.entrypoint.method_name}",
                       str(data["command_id"])[:100])
        uow = UnitOfWork(self.store, self.container.service_name, self.relay.wake,
                         event=event, consumer=consumer, context=context, command=command,
                         on_schedule=self.timer_relay.wake)
        worker_ctx.uow = uow
        return uow

