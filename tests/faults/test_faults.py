"""Faults in the spirit of Jepsen: fifty journeys in flight, a fault in the middle, then drain
and reconcile. Every journey must reach a confirmed itinerary with each fact announced once,
handled by every consumer, and each effect (invoice, payment, operating slot, bookings at
the agency) made once; nothing may be left in dead letters unexplained.

Each journey goes from the public form through screening, acceptance and the deposit to a
scheduled surgery and confirmed flights and hotels: enquiries, payments, surgery, travel,
rehabilitation, follow-up and the journey board all react on the way.
"""
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from ops.run import broker_reachable, service_classes
from shared import topology
from shared.config import ROOT
from shared.testing.infra import wait_for
from tests.e2e.system import wait_ready
from tests.faults import reconcile
from tests.faults.harness import (
    Supervisor,
    backlog,
    every_consumer_back,
    rabbitmqctl,
    undelivered_webhooks,
)

JOURNEYS = 50
DOWN_SECONDS = 3.0
# A letter parked because a dependency was away may be replayed; anything else is a bug.
TRANSIENT = re.compile(r"OperationalError|ConnectionError|ConnectionRefused|ECONNREFUSED|timed? ?out",
                       re.IGNORECASE)


def drive(faulty):
    """Start every journey at once; returns the pool's futures."""
    pool = ThreadPoolExecutor(JOURNEYS, thread_name_prefix="journey")
    futures = [pool.submit(faulty.driver.to_surgery_scheduled, number) for number in range(1, JOURNEYS + 1)]
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


def settle_dead_letters(running) -> list[dict]:
    """Replay, with the operator CLI, letters parked because a dependency was away; any other
    letter fails the test. Returns the letters replayed."""
    replayed = []
    for service, letters in running.parked().items():
        unexplained = [letter for letter in letters if not TRANSIENT.search(letter["error"])]
        assert unexplained == [], f"{service} parked: {unexplained}"
        for letter in letters:
            replay = subprocess.run(
                [sys.executable, "-m", "ops", "dead-letters", "replay", str(letter["id"]),
                 "--service", service, "--database-url", running.databases[service],
                 "--amqp-uri", running.amqp_uri],
                cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert replay.returncode == 0, replay.stderr
            replayed.append(letter)
    if replayed:
        running.wait_quiet(timeout=60)
    assert running.parked() == {}
    return replayed


def reconciled(faulty, patients) -> None:
    running = faulty.running
    running.wait_quiet(timeout=90)
    replayed = settle_dead_letters(running)
    found = reconcile.problems(running, [patient.journey_id for patient in patients])
    assert found == [], f"{len(found)} problems:\n" + "\n".join(found[:40])
    print(f"reconciled {len(patients)} journeys; retried calls {dict(faulty.calls.retried)}; "
          f"dead letters replayed {len(replayed)}")


def test_fifty_journeys_each_reach_a_confirmed_itinerary_once_while_surgery_then_payments_are_killed(
        faulty):
    running, progress = faulty.running, faulty.progress
    started = time.monotonic()
    futures = drive(faulty)

    progress.wait("deposit", 8)            # surgery is scheduling the first paid journeys
    kill_and_restart(faulty, "surgery")
    progress.wait("deposit", 25)           # payments is taking webhooks and opening invoices
    kill_and_restart(faulty, "payments")

    patients = arrived(faulty, futures)
    print(f"{JOURNEYS} journeys through two SIGKILLs in {time.monotonic() - started:.1f}s")
    reconciled(faulty, patients)
    assert running.system.exited() == []


def test_fifty_journeys_each_reach_a_confirmed_itinerary_once_while_rabbitmq_restarts(faulty):
    running, progress, gate = faulty.running, faulty.progress, faulty.gate
    queues = [q.name for _, cls in service_classes() for q in topology.handler_queues(cls)]
    queues += [f"rpc-{spec.name}" for spec, cls in service_classes() if spec.name != "gateway"]
    started = time.monotonic()
    with Supervisor(running.system) as supervisor:
        futures = drive(faulty)
        progress.wait("deposit", 10)       # events flow between every service
        # No new calls from the driver while the broker is away (its replies would be lost);
        # events already committed keep flowing until the broker goes.
        gate.pause()
        steps = dict(progress.steps)
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
        outage = time.monotonic() - stopped
        gate.resume()
        patients = arrived(faulty, futures)
    print(f"RabbitMQ stopped with the journeys at {steps}; every consumer back after {outage:.1f}s; "
          f"{JOURNEYS} journeys through its restart in {time.monotonic() - started:.1f}s")
    # The supervisor keeps the journeys going so a crash is reported with the reconciliation;
    # but `make run` stops everything when one process exits: none may.
    reconciled(faulty, patients)
    assert supervisor.restarted == [], f"processes exited during the broker outage: {supervisor.restarted}"
    assert running.system.exited() == []
