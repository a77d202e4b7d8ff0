"""The event kernel on the real RabbitMQ, on PostgreSQL and on SQLite."""
import json
import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import insert, select

from shared import deadletters
from shared.events import new_event, to_wire
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for
from shared.tests import sample
from shared.tests.conftest import publish_raw


def record(config, journey, **kwargs):
    with ServiceRpcProxy("kernel_producer", config, timeout=30) as producer:
        return producer.record(journey, **kwargs)


def test_an_event_committed_with_its_state_change_reaches_the_consumer(running, stores):
    journey = str(uuid.uuid4())
    record(running, journey)
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)


def test_a_rolled_back_state_change_publishes_nothing(running, stores, amqp_uri):
    tap = EventTap(amqp_uri, "kernel_producer")
    journey = str(uuid.uuid4())
    with pytest.raises(Exception, match="Boom"):
        record(running, journey, fail_after_emit=True)
    record(running, str(uuid.uuid4()))  # a later event proves the relay ran
    wait_for(lambda: len(tap.drain()) == 1)
    assert all(event["journey_id"] != journey for event in tap.events)
    with stores[0].session() as session:
        rows = session.execute(select(sample.notes).where(sample.notes.c.journey_id == journey)).all()
    assert rows == []
    tap.close()


def test_the_same_event_delivered_twice_has_its_effect_once(running, stores, amqp_uri):
    journey = str(uuid.uuid4())
    body = json.dumps(to_wire(new_event("kernel_producer", "note_recorded", {"note_id": 7}, journey)))
    publish_raw(amqp_uri, body.encode())
    publish_raw(amqp_uri, body.encode())
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)
    marker = str(uuid.uuid4())
    record(running, marker)  # later traffic: both copies have been consumed by then
    wait_for(lambda: sample.effect_count(stores[1], marker) == 1)
    assert sample.effect_count(stores[1], journey) == 1


def test_a_handler_failing_twice_then_succeeding_has_its_effect_once(running, stores):
    journey = str(uuid.uuid4())
    with stores[1].session() as session:
        session.execute(insert(sample.faults).values(journey_id=journey, remaining=2))
    record(running, journey)
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)
    assert deadletters.list_letters(stores[1]) == []


def test_an_event_names_who_asked_and_the_request_that_caused_it(running, amqp_uri):
    tap = EventTap(amqp_uri, "kernel_producer")
    context = {"actor": "staff:9", "correlation_id": "req-1", "causation_id": "request:req-1"}
    with ServiceRpcProxy("kernel_producer", running, context_data=context) as producer:
        producer.record(str(uuid.uuid4()))
    [event] = wait_for(lambda: tap.drain())
    assert (event["actor"], event["causation_id"], event["correlation_id"]) == \
        ("staff:9", "request:req-1", "req-1")
    tap.close()
