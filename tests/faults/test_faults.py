"""Faults in the spirit of Jepsen: fifty journeys in flight, a fault in the middle, then drain
and reconcile. Every journey must reach a confirmed itinerary with each fact announced once,
handled by every consumer, and each effect (invoice, payment, operating slot, bookings at
the agency) made once; and no dead letter at all: a handler failing while a service or the broker
is away is retried on a schedule RabbitMQ holds until the outage is over, with no operator.

Each journey goes from the public form through screening, acceptance and the deposit to a
scheduled surgery and confirmed flights and hotels: enquiries, payments, surgery, travel,
rehabilitation, follow-up and the journey board all react on the way.
"""
import json
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import MetaData

from ops.run import broker_reachable, service_classes
from shared import deadletters, topology
from shared.db import Store
from shared.tables import add_kernel_tables
from shared.testing.infra import rabbitmqctl, wait_for
from tests.e2e.system import wait_ready
from tests.faults import reconcile
from tests.faults.harness import (
    Admin,
    Supervisor,
    backlog,
    every_consumer_back,
    retries_held,
    undelivered_webhooks,
    wait_settled,
)

JOURNEYS = 50
DOWN_SECONDS = 3.0


def drive(faulty, journeys: int = JOURNEYS):
    """Start every journey at once; returns the pool's futures."""
    pool = ThreadPoolExecutor(journeys, thread_name_prefix="journey")
    futures = [pool.submit(faulty.driver.to_surgery_scheduled, number) for number in range(1, journeys + 1)]
    pool.shutdown(wait=False)
    return futures


def arrived(faulty, futures) -> list:
    failed = []
    for number, future in enumerate(futures, start=1):
        try:
            future.result(timeout=240)
        except Exception as exc:  # every journey is reported, not only the first to fail
            failed.append(f"journey {number}: {type(exc).__name__}: {str(exc)[:300]}")
    assert failed == [], "\n".join(failed + undelivered_webhooks(faulty.running))
    return [future.result() for future in futures]


def kill_and_restart(faulty, name: str) -> None:
    running, steps = faulty.running, dict(faulty.progress.steps)
    assert steps.get("itinerary", 0) < JOURNEYS, "the fault came after every journey had arrived"
    running.system.kill(name)
    time.sleep(DOWN_SECONDS)  # down long enough for work to pile up behind it
    cls = next(cls for spec, cls in service_classes() if spec.name == name)
    waiting = backlog(running.amqp_uri, [q.name for q in topology.handler_queues(cls)] + [f"rpc-{name}"])
    running.system.start_one(name)
    wait_ready(running, timeout=90)
    print(f"{name} SIGKILLed with the journeys at {steps}; {waiting} messages waited for it")


def no_dead_letters(running) -> None:
    """Nothing was ever parked, in any service: not in the databases, not through the
    administrators' API, not in any readiness check. So nothing was replayed either."""
    parked = running.parked()
    assert parked == {}, "parked after the fault:\n" + "\n".join(
        f"{service}: {letter['consumer']} {letter['error'][:300]}"
        for service, letters in parked.items() for letter in letters)
    admin = Admin(running)
    assert admin.dead_letters(status="all") == []
    assert set(admin.parked_counts().values()) == {0}


def reconciled(faulty, patients) -> None:
    running = faulty.running
    wait_settled(running, timeout=240)   # every retry RabbitMQ still holds has run
    no_dead_letters(running)
    found = reconcile.problems(running, [patient.journey_id for patient in patients])
    assert found == [], f"{len(found)} problems:\n" + "\n".join(found[:40])
    print(f"reconciled {len(patients)} journeys; retried calls {dict(faulty.calls.retried)}; failed "
          f"deliveries held for a retry {retries_held(running.amqp_uri)}; no dead letters, none replayed")


def an_administrator_works_dead_letters_through_the_api(faulty, patients) -> None:
    """After the fault: a poison message parked in surgery is shown (envelope and error, no
    payload) and discarded; a handled event parked by hand as if it had failed is replayed, and
    the inbox keeps its effect once. Other roles may not look."""
    running = faulty.running
    store = Store(running.databases["surgery"], add_kernel_tables(MetaData()))
    cls = next(cls for spec, cls in service_classes() if spec.name == "surgery")
    queue = next(q for q in topology.handler_queues(cls) if q.routing_key == "deposit_paid")
    try:
        _publish(running.amqp_uri, queue.name, b'{"type": "deposit_paid", "payload": {"cents": 1}}')
        [poison] = wait_for(lambda: deadletters.list_letters(store), message="the poison was not parked")
        paid = reconcile.query(running.databases, "payments",
                               "SELECT event_id, body FROM outbox WHERE event_type = 'deposit_paid' LIMIT 1")
        deadletters.park(store, consumer="surgery.on_deposit_paid", queue=queue.name, body=paid[0][1],
                         error="ConnectionError: parked by the test", attempts=10, event_id=paid[0][0],
                         event_type="deposit_paid", journey_id=json.loads(paid[0][1])["journey_id"])
    finally:
        store.dispose()
    admin = Admin(running)
    listed = admin.dead_letters(service="surgery")
    assert [(letter["service"], letter["event_type"]) for letter in listed] == \
        [("surgery", None), ("surgery", "deposit_paid")]
    assert admin.parked_counts()["surgery"] == 2
    replayed_id = listed[1]["id"]
    shown = admin.call("GET", f"/dead-letters/surgery/{replayed_id}").json()
    assert shown["envelope"]["producer"] == "payments" and "payload" not in json.dumps(shown)
    assert admin.call("DELETE", f"/dead-letters/surgery/{poison['id']}").json()["status"] == "discarded"
    assert admin.call("POST", f"/dead-letters/surgery/{poison['id']}/replay").status_code == 409
    assert admin.call("POST", f"/dead-letters/surgery/{replayed_id}/replay").json()["status"] == "replayed"
    assert admin.call("GET", "/dead-letters/nowhere/1").status_code == 404
    wait_settled(running, timeout=60)
    assert admin.dead_letters() == [] and set(admin.parked_counts().values()) == {0}
    found = reconcile.problems(running, [patient.journey_id for patient in patients])
    assert found == [], "the replay had a second effect:\n" + "\n".join(found[:40])
    assert _listed_as(running, "finance").status_code == 403


def _listed_as(running, role: str):
    username, password = running.staff[role]
    token = requests.post(f"{running.system.gateway_url}/api/auth/token", timeout=30,
                          json={"username": username, "password": password}).json()["access_token"]
    return requests.get(f"{running.system.gateway_url}/api/dead-letters", timeout=30,
                        headers={"Authorization": f"Bearer {token}"})


def _publish(amqp_uri: str, queue: str, body: bytes) -> None:
    from kombu import Connection
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(body, exchange="", routing_key=queue, content_type="application/json",
                                content_encoding="utf-8", delivery_mode=2)


def restart_rabbitmq(faulty, queues: list[str]) -> float:
    """Stop and start the broker with journeys in flight; returns how long until all was back."""
    running, gate = faulty.running, faulty.gate
    # No new calls from the driver while the broker is away (its replies would be lost);
    # events already committed keep flowing until the broker goes.
    gate.pause()
    steps = dict(faulty.progress.steps)
    assert steps.get("itinerary", 0) < JOURNEYS, "the fault came after every journey had arrived"
    stopped = time.monotonic()
    try:
        rabbitmqctl("stop_app")
        time.sleep(DOWN_SECONDS)
    finally:
        rabbitmqctl("start_app")
    wait_for(lambda: broker_reachable(running.amqp_uri), timeout=60, interval=0.5)
    wait_for(lambda: every_consumer_back(running.amqp_uri, queues), timeout=90, interval=0.5,
             message="not every consumer came back after the broker restarted")
    wait_ready(running, timeout=90)
    gate.resume()
    outage = time.monotonic() - stopped
    print(f"RabbitMQ stopped with the journeys at {steps}; every consumer back after {outage:.1f}s")
    return outage


def test_fifty_journeys_reach_a_confirmed_itinerary_once_through_two_services_killed_and_rabbitmq_restarted(
        faulty):
    """One run of the slow scenario with its three faults one after another, each while the journeys
    are in flight: surgery SIGKILLed, then payments, then the broker stopped and started."""
    running, progress = faulty.running, faulty.progress
    queues = [q.name for _, cls in service_classes() for q in topology.handler_queues(cls)]
    queues += [f"rpc-{spec.name}" for spec, cls in service_classes() if spec.name != "gateway"]
    started = time.monotonic()
    futures = drive(faulty)

    progress.wait("deposit", 8)            # surgery is scheduling the first paid journeys
    kill_and_restart(faulty, "surgery")
    progress.wait("deposit", 25)           # payments is taking webhooks and opening invoices
    kill_and_restart(faulty, "payments")
    progress.wait("deposit", 35)           # events flow between every service
    # From here no process may exit: the supervisor would start it again, as compose does, but
    # `make run` stops everything when one process exits.
    with Supervisor(running.system) as supervisor:
        restart_rabbitmq(faulty, queues)
        patients = arrived(faulty, futures)
    print(f"{JOURNEYS} journeys through two SIGKILLs and a broker restart in "
          f"{time.monotonic() - started:.1f}s")
    reconciled(faulty, patients)
    assert supervisor.restarted == [], f"processes exited during the broker outage: {supervisor.restarted}"
    assert running.system.exited() == []
    an_administrator_works_dead_letters_through_the_api(faulty, patients)
