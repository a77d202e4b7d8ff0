"""`ops migrate-queues`: classic queues of an earlier release become quorum queues, every message kept."""
import random
import threading
import time
import uuid
from urllib.parse import quote, unquote, urlparse

import requests
from kombu import Connection, Exchange, Queue

from ops.queues import migrate
from shared import topology
from shared.events import new_event, to_wire
from shared.testing.cluster import service_config
from shared.testing.infra import RABBIT_AUTH, RABBIT_MGMT, wait_for
from shared.tests import sample
from shared.tests.conftest import QUICK_RETRY, make_store

SCHEDULE = topology.RetrySchedule(tuple(QUICK_RETRY["delays_seconds"]), 0)
EXCHANGE = Exchange("kernel_producer.events", type="topic", durable=True)
QUEUE = topology.handler_queues(sample.ConsumerService)[0]


def classic_layout(conn) -> None:
    """The queues as the release before quorum queues declared them."""
    Queue(QUEUE.name, exchange=EXCHANGE, routing_key="note_recorded", durable=True)(conn.channel()).declare()
    for step in range(SCHEDULE.steps):
        Queue(f"{QUEUE.name}.retry-{step + 1}", durable=True, queue_arguments={
            "x-dead-letter-exchange": "", "x-dead-letter-routing-key": QUEUE.name})(conn.channel()).declare()


def event_body() -> tuple[str, dict]:
    event = new_event("kernel_producer", "note_recorded", {"note_id": 1}, str(uuid.uuid4()))
    return event.event_id, to_wire(event)


def publish(conn, body, routing_key, exchange="", **kwargs) -> None:
    conn.Producer().publish(body, exchange=exchange, routing_key=routing_key, delivery_mode=2,
                            serializer="json", retry=True, **kwargs)


def queue_type(amqp_uri, name) -> str | None:
    vhost = quote(unquote(urlparse(amqp_uri).path[1:]), safe="")
    answer = requests.get(f"{RABBIT_MGMT}/api/queues/{vhost}/{quote(name, safe='')}", auth=RABBIT_AUTH,
                          timeout=30)
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.json()["type"]


class Publishing(threading.Thread):
    """A producer that goes on publishing, with confirms, while the queues are migrated."""

    def __init__(self, amqp_uri):
        super().__init__(daemon=True)
        self.amqp_uri, self.sent, self.done = amqp_uri, [], threading.Event()

    def run(self):
        with Connection(self.amqp_uri, transport_options={"confirm_publish": True}) as conn:
            while not self.done.is_set():
                event_id, body = event_body()
                publish(conn, body, "note_recorded", exchange=EXCHANGE)
                self.sent.append(event_id)
                time.sleep(0.02)


def test_classic_queues_with_messages_in_flight_become_quorum_queues_and_every_event_is_handled_once(
        amqp_uri, pg_url, cluster, monkeypatch):
    monkeypatch.setenv("EVENT_QUEUE_TYPE", "quorum")   # what production runs (the suite's default is classic)
    sent = []
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        classic_layout(conn)
        for _ in range(100):                       # waiting in the handler's queue
            event_id, body = event_body()
            publish(conn, body, QUEUE.name)
            sent.append(event_id)
        for _ in range(30):                        # waiting for a retry, some running out mid-move
            event_id, body = event_body()
            publish(conn, body, f"{QUEUE.name}.retry-{random.randint(1, SCHEDULE.steps)}",
                    expiration=random.uniform(0.05, 1.5))
            sent.append(event_id)
    publishing = Publishing(amqp_uri)
    publishing.start()
    wait_for(lambda: len(publishing.sent) > 20)
    reported = []
    assert migrate(amqp_uri, [sample.ConsumerService], SCHEDULE, report=reported.append) == 1
    publishing.done.set()
    publishing.join(10)
    sent += publishing.sent

    assert queue_type(amqp_uri, QUEUE.name) == "quorum", reported
    assert queue_type(amqp_uri, topology.delay_queue(sample.ConsumerService.name, 0).name) == "quorum"
    assert queue_type(amqp_uri, f"{QUEUE.name}.retry-1") is None   # the old delay queues are gone
    assert migrate(amqp_uri, [sample.ConsumerService], SCHEDULE) == 0   # nothing left to do

    # The service, declaring its queue as nameko does, consumes every event, each once.
    store = make_store(pg_url)
    cluster.start(sample.ConsumerService, service_config(amqp_uri, {"kernel_consumer": pg_url},
                                                         EVENT_RETRY=QUICK_RETRY))
    wait_for(lambda: sample.effect_count(store) >= len(set(sent)), timeout=60,
             message=f"{len(set(sent)) - sample.effect_count(store)} event(s) lost in the migration")
    with store.session() as session:
        handled = {row[0] for row in session.execute(sample.effects.select().with_only_columns(
            sample.effects.c.event_id))}
    assert handled == set(sent) and sample.effect_count(store) == len(set(sent))
    store.dispose()
