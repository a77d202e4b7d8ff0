"""Durable timers on the real RabbitMQ, on PostgreSQL and on SQLite."""
import uuid
from datetime import UTC, datetime, timedelta

import eventlet
import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from shared.clock import ClinicClock, set_simulated
from shared.db import UnitOfWork
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for
from shared.tests import sample
from shared.tests.conftest import make_store
from shared.tests.timed import TimedProducerService
from shared.timers import TimerRelay

QUICK_TIMERS = {"batch_size": 100, "poll_interval_seconds": 0.1}


@pytest.fixture
def timed(stores, cluster, config):
    """The consumer, and a producer whose notes' events are scheduled for later."""
    config = dict(config, TIMERS=QUICK_TIMERS)
    cluster.start(sample.ConsumerService, config)
    cluster.start(TimedProducerService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    return config


def call(config, method, *args, context=None, **kwargs):
    with ServiceRpcProxy("kernel_producer", config, context_data=context or {}, timeout=30) as producer:
        return getattr(producer, method)(*args, **kwargs)


def soon(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def pending(store) -> list:
    timers = sample.kernel.timers
    with store.session() as session:
        return session.execute(select(timers.c.key).where(timers.c.fired_at.is_(None))).scalars().all()


def test_a_timer_fires_once_when_due_and_names_what_scheduled_it(timed, stores, amqp_uri):
    tap = EventTap(amqp_uri, "kernel_producer")
    journey = str(uuid.uuid4())
    context = {"actor": "staff:9", "correlation_id": "req-7", "causation_id": "request:req-7"}
    due = datetime.now(UTC) + timedelta(seconds=1.5)
    call(timed, "remind", journey, due.isoformat(), f"reminder:{journey}", context=context)
    # Looked at while still before it is due (a slow machine may take a while to make the call).
    while datetime.now(UTC) < due - timedelta(seconds=0.3):
        assert sample.effect_count(stores[1], journey) == 0, "the timer fired before it was due"
        eventlet.sleep(0.2)
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1, message="the due timer never fired")
    eventlet.sleep(0.5)  # several polls later: still once
    assert sample.effect_count(stores[1], journey) == 1
    [event] = tap.of_type("note_recorded")
    assert (event["actor"], event["causation_id"], event["correlation_id"]) == \
        ("staff:9", "request:req-7", "req-7")
    assert pending(stores[0]) == []
    tap.close()


def test_a_rolled_back_use_case_schedules_nothing(stores):
    with pytest.raises(sample.Boom):
        with UnitOfWork(stores[0], "kernel_producer", on_commit=lambda: None) as uow:
            uow.schedule(sample.NoteRecorded, {"note_id": 1}, str(uuid.uuid4()),
                         at=datetime.now(UTC), key="reminder:rolled-back")
            raise sample.Boom("the use case failed after scheduling")
    timers = sample.kernel.timers
    with stores[0].session() as session:
        assert session.execute(select(func.count()).select_from(timers)).scalar() == 0
    assert TimerRelay(stores[0], "kernel_producer", ClinicClock()).fire_due() == 0


def test_a_timer_is_moved_and_cancelled_by_its_key(timed, stores):
    moved, cancelled, other = (str(uuid.uuid4()) for _ in range(3))
    call(timed, "remind", moved, soon(3600), "reminder:moved")
    call(timed, "remind", moved, soon(0.2), "reminder:moved")        # the same key, sooner
    call(timed, "remind", cancelled, soon(3600), "reminder:cancelled")
    call(timed, "remind", other, soon(3600), "follow:x_1")
    call(timed, "remind", other, soon(0.2), "follow:xx1")
    assert call(timed, "cancel", "reminder:cancelled") is True
    assert call(timed, "cancel", "reminder:cancelled") is False
    # A prefix is literal: "x_" matches "follow:x_1" and not "follow:xx1".
    assert call(timed, "cancel_journey", other, prefix="follow:x_") == 1
    wait_for(lambda: sample.effect_count(stores[1], moved) == 1, message="the moved timer never fired")
    wait_for(lambda: sample.effect_count(stores[1], other) == 1, message="the timer left never fired")
    eventlet.sleep(0.5)
    assert sample.effect_count(stores[1], moved) == 1      # it fired once, at its new time
    assert pending(stores[0]) == []                         # the cancelled ones are gone, not waiting
    assert sample.effect_count(stores[1], cancelled) == 0
    assert call(timed, "cancel", "reminder:moved") is False  # fired: nothing left to cancel
    call(timed, "remind", moved, soon(0), "reminder:moved")          # scheduled again: armed again
    wait_for(lambda: sample.effect_count(stores[1], moved) == 2, message="the re-armed timer never fired")


def test_a_timer_follows_the_simulated_clinic_clock(stores, tmp_path, monkeypatch):
    clock_file = tmp_path / "clock"
    monkeypatch.setenv("CAREPATH_CLOCK_FILE", str(clock_file))
    clock = ClinicClock()
    in_a_month = clock.today() + timedelta(days=30)
    with UnitOfWork(stores[0], "kernel_producer", on_commit=lambda: None) as uow:
        uow.schedule(sample.NoteRecorded, {"note_id": 1}, str(uuid.uuid4()),
                     at=clock.at(in_a_month, datetime.min.time()), key="reminder:in-a-month")
    relay = TimerRelay(stores[0], "kernel_producer", clock)
    set_simulated(clock_file, in_a_month - timedelta(days=1))
    assert relay.fire_due() == 0
    set_simulated(clock_file, in_a_month)
    assert relay.fire_due() == 1, "moving the clinic clock past the timer did not fire it"
    assert pending(stores[0]) == []


def test_a_timer_fired_twice_is_one_event_for_every_inbox(stores):
    relay = TimerRelay(stores[0], "kernel_producer", ClinicClock())
    with UnitOfWork(stores[0], "kernel_producer", on_commit=lambda: None) as uow:
        uow.schedule(sample.NoteRecorded, {"note_id": 1}, str(uuid.uuid4()), at=datetime.now(UTC),
                     key="twice")
    assert relay.fire_due() == 1
    timers, outbox = sample.kernel.timers, sample.kernel.outbox
    with stores[0].session() as session:  # as if its mark were lost (a restored backup, a crash)
        session.execute(timers.update().values(fired_at=None, event_id=None))
    assert relay.fire_due() == 1
    with stores[0].session() as session:
        events = session.execute(select(outbox.c.event_id)).scalars().all()
        fired_as = session.execute(select(timers.c.event_id)).scalar()
    assert events == [fired_as]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SKIP LOCKED is PostgreSQL's
def test_two_relays_on_postgresql_fire_a_batch_of_timers_exactly_once_each(stores):
    first, second = stores[0], make_store(stores[0].url)
    now = datetime.now(UTC)
    with UnitOfWork(first, "kernel_producer", on_commit=lambda: None) as uow:
        for n in range(300):
            uow.schedule(sample.NoteRecorded, {"note_id": n}, str(uuid.uuid4()),
                         at=now - timedelta(seconds=n % 7), key=f"batch:{n}")
    relays = [TimerRelay(store, "kernel_producer", ClinicClock(), batch_size=20) for store in (first, second)]
    pool = eventlet.GreenPool()
    fired = [thread.wait() for thread in [pool.spawn(_fire_all, relay) for relay in relays]]
    outbox = sample.kernel.outbox
    with first.session() as session:
        ids = session.execute(select(outbox.c.event_id)).scalars().all()
    assert sum(fired) == 300 and all(n > 0 for n in fired), fired
    assert len(ids) == 300 and len(set(ids)) == 300
    assert pending(first) == []
    second.dispose()


def _fire_all(relay) -> int:
    total = 0
    while n := relay.fire_due():
        total += n
        eventlet.sleep(0)
    return total
