"""One running system for the module: started once, shared by its tests, stopped at the end."""
import pytest

from shared.testing.cluster import EventTap
from tests.e2e.system import running_system


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    with running_system(tmp_path_factory.mktemp("system")) as system:
        yield system


@pytest.fixture(scope="module")
def driver(running):
    return running.driver()


@pytest.fixture(autouse=True)
def every_process_stays_up(running):
    yield
    assert running.system.exited() == [], running.log_tail()


@pytest.fixture
def tap(running):
    """tap("surgery") records what that producer publishes from now on."""
    taps = {}

    def open_tap(producer: str) -> EventTap:
        if producer not in taps:
            taps[producer] = EventTap(running.amqp_uri, producer)
        return taps[producer]
    yield open_tap
    for events in taps.values():
        events.close()
