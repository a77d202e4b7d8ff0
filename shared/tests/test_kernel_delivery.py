"""The event kernel on the real RabbitMQ, on PostgreSQL and on SQLite."""
import json
import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import insert, select

from shared.db import Store
from shared.events import new_event, to_wire
from shared.testing.cluster import EventTap, service_config
from shared.testing.infra import wait_for
from shared.tests import sample


def _store(url):
    store = Store(url, sample.kernel)
    sample.metadata.create_all(store.engine)
    return store


@pytest.fixture
def stores(db_url, tmp_path):
    consumer_url = db_url if not db_url.startswith("sqlite") else f"sqlite:///{tmp_path}/consumer.db"
    producer, consumer = _store(db_url), _store(consumer_url)
    yield producer, consumer
    producer.dispose()
    consumer.dispose()


@pytest.fixture
def running(stores, cluster, amqp_uri):
    producer_store, consumer_store = stores
    config = service_config(amqp_uri, {"kernel_producer": producer_store.url,
                                       "kernel_consumer": consumer_store.url})
    cluster.start(sample.ConsumerService, config)
    cluster.start(sample.ProducerService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    return config


def test_an_event_committed_with_its_state_change_reaches_the_consumer(running, stores):
    journey = str(uuid.uuid4())
    with ServiceRpcProxy("kernel_producer", running) as producer:
        producer.record(journey)
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)


def test_a_rolled_back_state_change_publishes_nothing(running, stores, amqp_uri):
    tap = EventTap(amqp_uri, "kernel_producer")
    journey = str(uuid.uuid4())
    with ServiceRpcProxy("kernel_producer", running) as producer:
        with pytest.raises(Exception, match="Boom"):
            producer.record(journey, fail_after_emit=True)
        producer.record(str(uuid.uuid4()))  # a later event proves the relay ran
    wait_for(lambda: len(tap.drain()) == 1)
    assert all(event["journey_id"] != journey for event in tap.events)
    with stores[0].session() as session:
        assert session.execute(select(sample.notes).where(sample.notes.c.journey_id == journey)).first() is None
    tap.close()


def test_the_same_event_delivered_twice_has_its_effect_once(running, stores, amqp_uri):
    journey = str(uuid.uuid4())
    event = new_event("kernel_producer", "note_recorded", {"note_id": 7}, journey)
    _publish_raw(amqp_uri, json.dumps(to_wire(event)))
    _publish_raw(amqp_uri, json.dumps(to_wire(event)))
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)
    with ServiceRpcProxy("kernel_producer", running) as producer:  # later traffic drains both copies
        marker = str(uuid.uuid4())
        producer.record(marker)
    wait_for(lambda: sample.effect_count(stores[1], marker) == 1)
    assert sample.effect_count(stores[1], journey) == 1


def test_a_handler_failing_twice_then_succeeding_has_its_effect_once(running, stores):
    journey = str(uuid.uuid4())
    with stores[1].session() as session:
        session.execute(insert(sample.faults).values(journey_id=journey, remaining=2))
    with ServiceRpcProxy("kernel_producer", running) as producer:
        producer.record(journey)
    wait_for(lambda: sample.effect_count(stores[1], journey) == 1)
    from shared import deadletters
    assert deadletters.list_letters(stores[1]) == []


def _publish_raw(amqp_uri, body: str, routing_key="note_recorded", content_type="application/json"):
    from kombu import Connection, Exchange
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        producer.publish(body.encode(), exchange=Exchange("kernel_producer.events", type="topic", durable=True),
                         routing_key=routing_key, content_type=content_type, content_encoding="utf-8",
                         delivery_mode=2, declare=[Exchange("kernel_producer.events", type="topic", durable=True)])
