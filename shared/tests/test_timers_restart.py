"""A timer outlives its service: SIGKILLed with it pending, restarted past its due time."""
import uuid
from datetime import datetime, timedelta

import eventlet
import pytest
from nameko.exceptions import UnknownService
from sqlalchemy import select

from shared.clock import ClinicClock, set_simulated
from shared.testing.cluster import ServiceProcess
from shared.testing.infra import wait_for
from shared.tests import sample
from shared.tests.test_timers import QUICK_TIMERS, call


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # a process's restart: one store will do
def test_a_timer_pending_when_its_service_is_killed_fires_once_after_the_restart(
        stores, cluster, config, tmp_path):
    clock_file = tmp_path / "clock"
    clock = ClinicClock()
    today = clock.today()
    set_simulated(clock_file, today)
    config = dict(config, TIMERS=QUICK_TIMERS)
    cluster.start(sample.ConsumerService, config)
    producer = ServiceProcess("shared.tests.timed:TimedProducerService",
                              dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"),
                              env={"CAREPATH_CLOCK_FILE": str(clock_file)}).start()
    try:
        journey = str(uuid.uuid4())
        due = clock.at(today + timedelta(days=14), datetime.min.time())
        # With a command id, as every staff command has: the kill may come before the request's ack,
        # and the restarted process is handed it again (it answers from its first run, arming nothing).
        command = {"command_id": str(uuid.uuid4())}
        wait_for(lambda: _answered(config, "remind", journey, due.isoformat(), f"deposit_overdue:{journey}",
                                   context=command),
                 timeout=30, message="the producer process never answered")
        producer.kill()
        set_simulated(clock_file, today + timedelta(days=15))   # the service was away past the due time
        eventlet.sleep(0.3)
        assert sample.effect_count(stores[1], journey) == 0    # nobody fires it while the service is down
        producer.start()
        wait_for(lambda: sample.effect_count(stores[1], journey) == 1, timeout=30,
                 message="the timer pending at the kill never fired after the restart")
        eventlet.sleep(0.5)
        assert sample.effect_count(stores[1], journey) == 1
        timers = sample.kernel.timers
        with stores[0].session() as session:
            fired = session.execute(select(timers.c.fired_at, timers.c.event_id)).one()
        assert fired.fired_at is not None and fired.event_id is not None
    finally:
        producer.kill()


def _answered(config, *args, context=None) -> bool:
    """Call once the process is up (before that its queue is unroutable: nothing is delivered)."""
    try:
        call(config, *args, context=context)
    except UnknownService:
        eventlet.sleep(0.2)
        return False
    return True
