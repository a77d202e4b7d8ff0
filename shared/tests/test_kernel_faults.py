"""What the kernel does when things go wrong: crashes, poison messages, an outage."""
import json
import logging
import subprocess
import sys
import time
import uuid

import eventlet
import pytest
from kombu import Connection
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import insert, update

from shared import deadletters
from shared.config import ROOT
from shared.events import new_event, to_wire
from shared.testing.cluster import EventTap
from shared.testing.infra import rabbitmqctl, wait_for
from shared.tests import sample
from shared.tests.conftest import QUICK_RETRY, make_store, publish_raw
from shared.tests.test_kernel_delivery import record

# Nameko's reply publisher retries three times, 2 + 4 + 6 seconds apart, then raises.
REPLY_RETRY_SECONDS = 12
SLOW_SECONDS = 8.0   # the call answers this long after it started: well inside the outage


def test_an_event_committed_before_a_crash_is_delivered_when_the_service_returns(
        stores, cluster, config):
    journey = str(uuid.uuid4())
    crashed = subprocess.run(
        [sys.executable, "-m", "shared.tests.crash_after_commit", stores[0].url, journey],
        cwd=ROOT, capture_output=True)
    assert crashed.returncode == -9, crashed.stderr.decode()[-500:]
    cluster.start(sample.ConsumerService, config)
    cluster.start(sample.ProducerService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1,
             message="the committed event never arrived")


def test_a_handler_that_always_fails_is_parked_then_replayed_by_the_operator(running, stores, amqp_uri):
    journey = str(uuid.uuid4())
    with stores[1].session() as session:
        session.execute(insert(sample.faults).values(journey_id=journey, remaining=10_000))
    record(running, journey)
    letters = wait_for(lambda: deadletters.list_letters(stores[1]), message="nothing was parked")
    assert len(letters) == 1
    assert letters[0]["journey_id"] == journey and "injected fault" in letters[0]["error"]
    assert letters[0]["attempts"] == 1 + len(QUICK_RETRY["delays_seconds"])
    assert sample.effect_count(stores[1], journey) == 0

    with stores[1].session() as session:  # the fix
        session.execute(update(sample.faults).values(remaining=0))
    replay = subprocess.run(
        [sys.executable, "-m", "ops", "dead-letters", "replay", str(letters[0]["id"]),
         "--service", "kernel_consumer", "--database-url", stores[1].url, "--amqp-uri", amqp_uri],
        cwd=ROOT, capture_output=True, text=True)
    assert replay.returncode == 0, replay.stderr
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)
    assert deadletters.list_letters(stores[1]) == []
    assert deadletters.get_letter(stores[1], letters[0]["id"])["status"] == deadletters.REPLAYED


def test_malformed_and_unknown_version_messages_are_parked_and_the_consumer_keeps_serving(
        running, stores, amqp_uri):
    publish_raw(amqp_uri, b"{this is not json")
    publish_raw(amqp_uri, json.dumps({"type": "note_recorded", "hello": 1}).encode())
    future = to_wire(new_event("kernel_producer", "note_recorded", {"note_id": 1}, str(uuid.uuid4())))
    future["version"] = 99
    publish_raw(amqp_uri, json.dumps(future).encode())
    letters = wait_for(lambda: (found := deadletters.list_letters(stores[1])) and len(found) == 3 and found)
    errors = " | ".join(letter["error"] for letter in letters)
    assert "undecodable" in errors and "bad envelope" in errors and "v99" in errors
    assert [letter["attempts"] for letter in letters] == [0, 0, 0]  # parked at once, never retried
    journey = str(uuid.uuid4())
    record(running, journey)
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)


def test_events_committed_while_rabbitmq_restarts_are_all_delivered(running, stores):
    before = [str(uuid.uuid4()) for _ in range(5)]
    for journey in before:
        record(running, journey)
    rabbitmqctl("stop_app")
    try:
        during = [str(uuid.uuid4()) for _ in range(5)]
        for journey in during:  # the producer keeps committing while the broker is away
            _commit_note(stores[0], journey)
    finally:
        rabbitmqctl("start_app")
    after = [str(uuid.uuid4()) for _ in range(5)]
    wait_for(lambda: _broker_up(running["AMQP_URI"]), timeout=60)
    for journey in after:  # RPC replies may be lost in an outage: commit directly, as before it
        _commit_note(stores[0], journey)
    wait_for(lambda: sample.effect_count(stores[1]) == 15, timeout=90,
             message="events were lost across the broker restart")
    for journey in before + during + after:
        assert sample.effect_count(stores[1], journey) == 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # the broker's part: one store will do
def test_a_service_keeps_serving_after_an_outage_took_the_reply_to_its_rpc_and_runs_it_once(
        running, stores, cluster, caplog):
    caplog.set_level(logging.INFO, logger="shared.db")
    journey, command = str(uuid.uuid4()), str(uuid.uuid4())
    call = eventlet.spawn(_answer_or_error, running, journey, seconds=SLOW_SECONDS, command_id=command)
    wait_for(lambda: sample.note_count(stores[0], journey) == 1, message="the slow call never started")
    answers_at = time.monotonic() + SLOW_SECONDS
    rabbitmqctl("stop_app")   # the CLI itself takes a second or two to start and stop the broker
    assert time.monotonic() < answers_at, "the broker took longer to stop than the call to answer"
    try:  # the worker answers into the outage, and nameko gives up on the reply
        eventlet.sleep(answers_at + REPLY_RETRY_SECONDS + 3 - time.monotonic())
    finally:
        rabbitmqctl("start_app")
    wait_for(lambda: _broker_up(running["AMQP_URI"]), timeout=60)
    assert isinstance(call.wait(), Exception), "the reply arrived: the outage was too short to test"
    assert [c.service_name for c in cluster.containers if c._died.ready()] == []

    later = str(uuid.uuid4())
    wait_for(lambda: not isinstance(_answer_or_error(running, later, seconds=0, timeout=5), Exception),
             timeout=90, message="the producer stopped answering after the outage")
    wait_for(lambda: sample.effect_count(stores[1], later) >= 1, timeout=60)
    # The request whose reply was lost is handed out again; its command id makes it answer
    # from the reply kept by its first run, with no second note.
    wait_for(lambda: any(getattr(r, "command_id", None) == command for r in caplog.records), timeout=60,
             message="the request whose reply was lost was never delivered again")
    assert sample.note_count(stores[0], journey) == 1


def _answer_or_error(config, journey, seconds, timeout=60, command_id=None):
    context = {"command_id": command_id} if command_id else {}
    try:
        with ServiceRpcProxy("kernel_producer", config, context_data=context, timeout=timeout) as producer:
            return producer.record_slowly(journey, seconds)
    except Exception as exc:  # the outage, as the caller sees it
        return exc


def test_two_relays_on_postgresql_never_publish_the_same_row_twice(pg_url, amqp_uri):
    from shared.db import UnitOfWork
    from shared.outbox import OutboxRelay
    first, second = make_store(pg_url), make_store(pg_url)
    tap = EventTap(amqp_uri, "kernel_producer")
    with UnitOfWork(first, "kernel_producer", on_commit=lambda: None) as uow:
        for n in range(400):
            uow.emit("note_recorded", {"note_id": n}, str(uuid.uuid4()))
    relays = [OutboxRelay(store, amqp_uri, "kernel_producer", batch_size=25) for store in (first, second)]
    pool = eventlet.GreenPool()
    counts = [pool.spawn(_drain, relay) for relay in relays]
    published = [thread.wait() for thread in counts]
    ids = [event["event_id"] for event in wait_for(lambda: len(tap.drain()) >= 400 and tap.events)]
    eventlet.sleep(0.5)
    ids = [event["event_id"] for event in tap.drain()]
    assert sum(published) == 400 and all(n > 0 for n in published), published
    assert len(ids) == 400 and len(set(ids)) == 400
    for relay in relays:
        relay.stop()
    tap.close()
    first.dispose()
    second.dispose()


def _drain(relay) -> int:
    total = 0
    while (n := relay.publish_pending()) or total == 0:
        total += n
        eventlet.sleep(0)
        if n == 0:
            break
    return total


def _commit_note(store, journey):
    from shared.db import UnitOfWork
    with UnitOfWork(store, "kernel_producer", on_commit=lambda: None) as uow:
        note_id = uow.session.execute(insert(sample.notes).values(journey_id=journey)).inserted_primary_key[0]
        uow.emit("note_recorded", {"note_id": note_id}, journey)


def _broker_up(amqp_uri) -> bool:
    try:
        with Connection(amqp_uri, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False
