"""A fresh system per fault test (its databases are reconciled whole), and a driver that
narrates its progress, retries what an outage leaves unserved and can be paused."""
from dataclasses import dataclass

import pytest

from ops.journeys import JourneyDriver
from tests.e2e.system import Running, running_system
from tests.faults.harness import Calls, Gate, Progress, patch_driver_http


@pytest.fixture
def running(tmp_path):
    with running_system(tmp_path) as system:
        yield system


@dataclass
class Faulty:
    running: Running
    driver: JourneyDriver
    progress: Progress
    gate: Gate
    calls: Calls


@pytest.fixture
def replicated(tmp_path):
    """The same system with two instances of every service, competing on the same queues and databases."""
    with running_system(tmp_path, ready_timeout=240, replicas=2) as system:
        yield system


@pytest.fixture
def faulty(running, monkeypatch) -> Faulty:
    return _faulty(running, monkeypatch)


@pytest.fixture
def faulty_replicas(replicated, monkeypatch) -> Faulty:
    return _faulty(replicated, monkeypatch)


def _faulty(running, monkeypatch) -> Faulty:
    gate, calls, progress = Gate(), Calls(), Progress()
    patch_driver_http(monkeypatch, gate, calls)
    # Its own loopback address: sign-ins are rate limited per client address. Patient by
    # design: a step may wait out a restart or an outage before the system reacts.
    driver = running.driver(say=progress.say, source_address="127.0.1.3", timeout=180, poll=0.5)
    return Faulty(running, driver, progress, gate, calls)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    funcargs = getattr(item, "funcargs", {})
    running = funcargs.get("running") or funcargs.get("replicated")
    if report.when == "call" and report.failed and running is not None:
        print(f"the services' warnings and errors ({running.log_file}):\n"
              f"{running.log_tail(80, problems_only=True)}")
