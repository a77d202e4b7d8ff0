"""Two instances of every service, competing on the same queues and PostgreSQL databases, and one of each
SIGKILLed with the journeys in flight: the survivors carry every journey to its end, once.

The gateway's two instances share its public port (the kernel spreads the driver's connections); every
other service's instances are competing consumers of its queues, and their outbox and timer relays share
the rows with SKIP LOCKED. Mid-flight an operator rebuilds the journey projection while both journey
instances are projecting facts into it. Then the killed instances of payments and notifications come back,
the clinic clock moves past every timer armed on the way (balance due dates, pre-op reminders), and 0.3 s
later one instance of each is killed again, as both relays poll for them.
"""
import os
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import MetaData

from ops.run import instance_name
from ops.services import SERVICES
from services.journey.handlers.projection import rebuild
from shared.clock import set_simulated
from shared.db import Store
from shared.tables import add_kernel_tables
from shared.testing.infra import wait_for
from tests.e2e.system import wait_ready
from tests.faults import reconcile
from tests.faults.harness import queue_consumers, wait_settled
from tests.faults.test_faults import arrived, drive, no_dead_letters

# Fewer than the fault suite's fifty: eighteen service processes share the machine's two cores.
JOURNEYS = 12
# One instance of each, killed in two waves at different points of the journeys.
FIRST_WAVE = {"gateway": 1, "enquiries": 2, "payments": 1, "surgery": 2}
SECOND_WAVE = {"travel": 1, "journey": 2, "notifications": 1, "rehabilitation": 2, "followup": 1}
TIMER_SERVICES = ("payments", "notifications")


def every_instance_consuming(amqp_uri: str, replicas: int, services=None) -> bool:
    """Each service's RPC queue has a consumer per instance: every instance is connected."""
    found = queue_consumers(amqp_uri)
    return all(found.get(f"rpc-{name}", 0) >= replicas for name in services or [s.name for s in SERVICES])


def kill(running, wave: dict[str, int]) -> list[str]:
    names = [instance_name(service, number) for service, number in wave.items()]
    for name in names:
        running.system.kill(name)
    return names


def rebuilding(running) -> threading.Thread:
    """The operator's rebuild of the journey projection, run beside both journey instances."""
    def run():
        store = Store(running.databases["journey"], add_kernel_tables(MetaData()))
        try:
            rebuilt.update(rebuild(store))
        finally:
            store.dispose()
    rebuilt: dict = {}
    thread = threading.Thread(target=run, name="rebuild")
    thread.rebuilt = rebuilt
    thread.start()
    return thread


def pending_timers_due(running) -> datetime | None:
    """The latest due time of the timers still armed in any service, but a record's retention (years
    away: past it, the journey is purged, its timers and outbox rows with it)."""
    armed = "SELECT max(due_at) FROM timers WHERE fired_at IS NULL AND key NOT LIKE 'retention:%'"
    latest = [reconcile.query(running.databases, name, armed)
              for name in running.databases]
    found = [rows[0][0] for rows in latest if rows and rows[0][0] is not None]
    return max(found) if found else None


@pytest.mark.timeout(900)   # about two minutes alone on two cores; far longer beside other work
def test_journeys_reach_their_end_once_through_two_instances_of_every_service_with_one_of_each_sigkilled(
        faulty_replicas):
    faulty = faulty_replicas
    running, progress = faulty.running, faulty.progress
    wait_for(lambda: every_instance_consuming(running.amqp_uri, 2), timeout=60, interval=0.5,
             message="not every instance of every service is consuming")
    started = time.monotonic()
    print(f"two instances of every service consuming; load average {os.getloadavg()[0]:.1f}", flush=True)
    futures = drive(faulty, JOURNEYS)

    progress.wait("deposit", 2, timeout=300)
    killed = kill(running, FIRST_WAVE)
    progress.wait("deposit", JOURNEYS // 2, timeout=300)
    killed += kill(running, SECOND_WAVE)
    rebuild_thread = rebuilding(running)
    print(f"SIGKILLed {killed} with the journeys at {dict(progress.steps)}")
    patients = arrived(faulty, futures)
    rebuild_thread.join(60)
    print(f"{JOURNEYS} journeys through one instance of each service in {time.monotonic() - started:.1f}s; "
          f"the projection rebuilt beside them: {rebuild_thread.rebuilt}")
    assert rebuild_thread.rebuilt, "the projection's rebuild did not finish"
    wait_settled(running, timeout=120)
    no_dead_letters(running)
    found = reconcile.problems(running, [patient.journey_id for patient in patients])
    assert found == [], f"{len(found)} problems:\n" + "\n".join(found[:40])

    # The killed instances of the services that keep timers back; the clock past every armed timer, both
    # relays of each service at them.
    back = [name for name in killed if running.system.instance(name)[0].name in TIMER_SERVICES]
    for name in back:
        running.system.start_one(name)
    wait_ready(running, timeout=180)
    wait_for(lambda: every_instance_consuming(running.amqp_uri, 2, TIMER_SERVICES), timeout=90, interval=0.5,
             message="the killed instances did not come back")
    due = pending_timers_due(running)
    assert due is not None, "no timer was armed on the way"
    set_simulated(running.clock_file, (due + timedelta(days=1)).date())
    time.sleep(0.3)
    kill(running, {service: 2 for service in TIMER_SERVICES})
    wait_for(lambda: pending_timers_due(running) is None or pending_timers_due(running) > due, timeout=60,
             interval=0.5, message="the due timers did not fire")
    wait_settled(running, timeout=120)
    fired, wrong_timers = reconcile.timers_fired_once(running.databases, due)
    events, wrong_outbox = reconcile.outbox_published_once(running.databases)
    facts, wrong_projection = reconcile.projection_once_per_fact(running.databases)
    print(f"{fired} timers fired, {events} outbox rows, {facts} facts projected, each once")
    assert fired >= JOURNEYS, f"only {fired} timers fired"
    assert wrong_timers == [], "\n".join(wrong_timers[:40])
    assert wrong_outbox == [], "\n".join(wrong_outbox[:40])
    assert wrong_projection == [], "\n".join(wrong_projection[:40])
    unhandled = reconcile.handled_by_every_consumer(running.databases)
    assert unhandled == [], "\n".join(unhandled[:40])
    no_dead_letters(running)
    assert running.system.exited() == []
