"""Three RabbitMQ nodes on loopback and quorum queues: a node stopped while events flow loses none.

The cluster is the suite's own (deploy/test-broker.sh cluster: its own node names, ports and data
folders, the machine's Erlang cookie). The kernel's sample services carry the events: the
producer's outbox relay publishes with confirms, the consumer's inbox records each, a few fail
once and wait out a retry in a delay queue. The node leading the handler's queue is stopped
mid-flight; every client was given all three nodes and fails over.
"""
import shutil
import subprocess
import tempfile
import time
import uuid

import eventlet
import pytest
from sqlalchemy import func, insert, select

from shared import topology
from shared.config import ROOT
from shared.db import Store, UnitOfWork
from shared.testing.cluster import Cluster, service_config
from shared.testing.infra import temp_pg_database, wait_for
from shared.tests import sample
from shared.tests.conftest import QUICK_RETRY

EVENTS = 300             # journeys, one note event each
RATE = 60                # committed per second
STOP_AFTER = 100         # the node goes once this many are committed
FAILING_ONCE = 30        # of which fail once in their handler and come back from a delay queue


@pytest.fixture(scope="module")
def broker_cluster():
    """(the three nodes' AMQP URIs joined by `;`, their node names)."""
    # Not under pytest's temporary folder: the server runs as its own user and must enter it.
    folder = tempfile.mkdtemp(prefix="carepath-test-cluster.")
    started = subprocess.run(["bash", "deploy/test-broker.sh", "cluster", folder], cwd=ROOT,
                             capture_output=True, text=True, timeout=240)
    try:
        assert started.returncode == 0, started.stderr
        found = dict(part.split("=", 1) for part in started.stdout.split())
        yield found["TEST_CLUSTER_URIS"], found["TEST_CLUSTER_NODES"].split(",")
    finally:
        subprocess.run(["bash", "deploy/test-broker.sh", "stop", folder], cwd=ROOT, capture_output=True,
                       timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def leader_of(node: str, queue: str) -> str:
    listed = subprocess.run(["rabbitmqctl", "-n", node, "-q", "list_queues", "name", "leader",
                             "--no-table-headers"], capture_output=True, text=True, timeout=60, check=True)
    return next(line.split()[1] for line in listed.stdout.splitlines() if line.split()[0] == queue)


def commit_notes(store, journeys) -> None:
    """What the producer's use case does, at a steady pace: a note and its event in one transaction."""
    for journey in journeys:
        with UnitOfWork(store, "kernel_producer", on_commit=lambda: None) as uow:
            added = uow.session.execute(insert(sample.notes).values(journey_id=journey))
            uow.emit("note_recorded", {"note_id": added.inserted_primary_key[0]}, journey)
        eventlet.sleep(1 / RATE)


def effects_by_event(store) -> dict[str, int]:
    query = select(sample.effects.c.event_id, func.count()).group_by(sample.effects.c.event_id)
    with store.session() as session:
        return dict(session.execute(query).all())


@pytest.mark.timeout(240)
def test_a_broker_node_stopped_mid_flight_loses_no_event_and_applies_none_twice(broker_cluster, monkeypatch):
    monkeypatch.setenv("EVENT_QUEUE_TYPE", "quorum")   # what a cluster runs (the suite's default is classic)
    uris, nodes = broker_cluster
    with temp_pg_database() as producer_url, temp_pg_database() as consumer_url:
        producer, consumer = Store(producer_url, sample.kernel), Store(consumer_url, sample.kernel)
        for store in (producer, consumer):
            sample.metadata.create_all(store.engine)
        journeys = [str(uuid.uuid4()) for _ in range(EVENTS)]
        with consumer.session() as session:
            session.execute(insert(sample.faults), [{"journey_id": j, "remaining": 1}
                                                    for j in journeys[::EVENTS // FAILING_ONCE]])
        config = service_config(uris, {"kernel_producer": producer_url, "kernel_consumer": consumer_url},
                                EVENT_RETRY=QUICK_RETRY)
        cluster = Cluster(uris)
        try:
            cluster.start(sample.ConsumerService, config)
            cluster.start(sample.ProducerService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
            queue = topology.handler_queues(sample.ConsumerService)[0].name
            leader = leader_of(nodes[0], queue)
            writer = eventlet.spawn(commit_notes, producer, journeys)
            wait_for(lambda: len(effects_by_event(consumer)) >= STOP_AFTER, timeout=60)
            stopped_at = time.monotonic()
            subprocess.run(["rabbitmqctl", "-n", leader, "stop_app"], check=True, capture_output=True,
                           timeout=120)
            during = len(effects_by_event(consumer))
            writer.wait()
            wait_for(lambda: len(effects_by_event(consumer)) >= EVENTS, timeout=120, interval=0.2,
                     message=f"events lost with {leader}: {EVENTS - len(effects_by_event(consumer))} missing")
            recovered = time.monotonic() - stopped_at
            eventlet.sleep(2 * max(QUICK_RETRY["delays_seconds"]) + 1)   # any late repeat lands by now
            applied = effects_by_event(consumer)
            with producer.session() as session:
                unpublished = session.execute(select(func.count()).select_from(producer.kernel.outbox)
                                              .where(producer.kernel.outbox.c.published_at.is_(None))).scalar()
            with consumer.session() as session:
                handled = session.execute(select(func.count()).select_from(consumer.kernel.inbox)).scalar()
        finally:
            cluster.stop_all()
            producer.dispose()
            consumer.dispose()
    print(f"\n{EVENTS} events at {RATE}/s through 3 nodes; stopped {leader} (the handler queue's leader) "
          f"after {during} were applied; all {EVENTS} applied {recovered:.1f} s after the stop")
    assert len(applied) == EVENTS and set(applied.values()) == {1}, "an event applied twice"
    assert unpublished == 0 and handled == EVENTS
