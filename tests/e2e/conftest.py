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
    # Its own loopback address, so the demo command's sign-ins (from 127.0.0.1) are not rate limited.
    return running.driver(source_address="127.0.1.1")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.when == "call":
        item.e2e_failed = report.failed


@pytest.fixture(autouse=True)
def every_process_stays_up(request, running):
    yield
    if getattr(request.node, "e2e_failed", False):
        problems = running.log_tail(problems_only=True)
        print(f"the services' warnings and errors ({running.log_file}):\n{problems}")
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
