"""Retries held by RabbitMQ: a handler failing through a minute-long outage, a spent schedule,
and a worker left free while a failed event waits."""
import time
import uuid

import eventlet
import pytest
from kombu import Connection
from sqlalchemy import insert, select, update

from shared import deadletters, topology
from shared.testing.infra import wait_for
from shared.tests import sample
from shared.tests.test_kernel_delivery import record

OUTAGE_SECONDS = 60
# Short steps whose span outlives the outage even with every wait 20% short (70 s of 87.5 s).
OUTLIVING = {"delays_seconds": [0.5, 1, 2, 4, 8, 12, 12, 12, 12, 12, 12], "jitter": 0.2}
STEPS = len(OUTLIVING["delays_seconds"])
ALWAYS = 1_000_000   # failures injected: more than any schedule tries


@pytest.fixture
def start(stores, cluster, config):
    """Start the consumer with this retry schedule and a single worker (an event kept in
    a worker, or unacked in memory, would stop every other), and the producer."""
    def started(retry: dict) -> dict:
        cluster.start(sample.ConsumerService, dict(config, EVENT_RETRY=retry, max_workers=1))
        cluster.start(sample.ProducerService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
        return config
    return started


def fail(store, journey: str, times: int) -> None:
    with store.session() as session:
        session.execute(insert(sample.faults).values(journey_id=journey, remaining=times))


def failures_left(store, journey: str) -> int:
    with store.session() as session:
        return session.scalar(select(sample.faults.c.remaining).where(sample.faults.c.journey_id == journey))


def waiting(amqp_uri: str, steps: int) -> dict[str, int]:
    """Messages in the consumer's handler queue and in each of its delay queues."""
    queue = topology.handler_queues(sample.ConsumerService)[0]
    names = [queue.name] + [topology.delay_queue(sample.ConsumerService.name, step).name
                            for step in range(steps)]
    found = {}
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for name in names:
            try:
                found[name] = channel.queue_declare(name, passive=True).message_count
            except Exception:  # a delay queue not used yet is not declared yet
                channel = conn.channel()
    return found


def in_delay_queues(amqp_uri: str, steps: int) -> int:
    return sum(count for name, count in waiting(amqp_uri, steps).items() if ".retry-" in name)


def handled_promptly(config, store) -> None:
    """Another journey's event is handled while the failed one waits."""
    other = str(uuid.uuid4())
    record(config, other)
    wait_for(lambda: sample.effect_count(store, other) == 1, timeout=10,
             message="another event was not handled while a failed one waited")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_handler_failing_for_a_minute_then_recovering_has_its_effect_once_with_no_dead_letter(
        start, stores, amqp_uri):
    config = start(OUTLIVING)
    journey = str(uuid.uuid4())
    fail(stores[1], journey, ALWAYS)
    record(config, journey)
    started = time.monotonic()
    wait_for(lambda: in_delay_queues(amqp_uri, STEPS) == 1, interval=0.2,
             message="the failed event is not waiting")
    while time.monotonic() - started < OUTAGE_SECONDS:   # the outage: the handler keeps failing
        handled_promptly(config, stores[1])
        eventlet.sleep(10)
    with stores[1].session() as session:                 # the dependency is back
        session.execute(update(sample.faults).where(sample.faults.c.journey_id == journey)
                        .values(remaining=0))
    tries = ALWAYS - failures_left(stores[1], journey)

    wait_for(lambda: sample.effect_count(stores[1], journey) == 1, timeout=20,
             message="the event was not retried after the outage")
    handled_promptly(config, stores[1])                  # later traffic: nothing else was left
    assert tries >= 6, f"only {tries} attempts in {OUTAGE_SECONDS}s"
    assert sample.effect_count(stores[1], journey) == 1
    assert deadletters.list_letters(stores[1], status=None) == []
    assert set(waiting(amqp_uri, STEPS).values()) == {0}


def test_a_message_whose_schedule_is_spent_is_parked_with_its_error_after_every_attempt(
        start, stores, amqp_uri):
    config = start({"delays_seconds": "0.1,0.2,0.3", "jitter": 0.2})   # as the environment gives it
    journey = str(uuid.uuid4())
    fail(stores[1], journey, ALWAYS)
    record(config, journey)
    [letter] = wait_for(lambda: deadletters.list_letters(stores[1]), message="nothing was parked")
    assert (letter["journey_id"], letter["attempts"]) == (journey, 4)
    assert "Boom: injected fault" in letter["error"]
    assert ALWAYS - failures_left(stores[1], journey) == 4   # each attempt ran once
    assert sample.effect_count(stores[1], journey) == 0
    assert set(waiting(amqp_uri, 3).values()) == {0}


def test_an_event_waiting_for_its_retry_holds_no_worker_and_other_events_are_handled_meanwhile(
        start, stores, amqp_uri):
    config = start({"delays_seconds": [30], "jitter": 0})
    journey = str(uuid.uuid4())
    fail(stores[1], journey, ALWAYS)
    record(config, journey)
    wait_for(lambda: in_delay_queues(amqp_uri, 1) == 1, interval=0.2,
             message="the failed event is not waiting")
    for _ in range(5):                                   # one worker, and it is free
        handled_promptly(config, stores[1])
    assert ALWAYS - failures_left(stores[1], journey) == 1
    assert sample.effect_count(stores[1], journey) == 0
    assert deadletters.list_letters(stores[1]) == []
    assert in_delay_queues(amqp_uri, 1) == 1
