"""The run command (`python -m ops run`) keeps every process up: one that exits is started again,
with backoff, and said so; Ctrl-C still stops everything. The real command as a subprocess, on
the test's own broker vhost, databases, ports and clock; and the Supervisor's rules on a stand-in."""
import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from ops.journeys import ensure_staff, staff_credentials
from ops.run import PORT_OFFSET, Supervisor, System
from ops.services import SANDBOXES, SERVICES
from shared.clock import CLOCK_FILE
from shared.config import ROOT
from shared.testing.infra import create_pg_database, drop_pg_database, temp_vhost
from tests.e2e.system import QUICK, Running, free_offset

KILLED = "payments"   # consumes patient_accepted: the event published while it is down waits for it


@pytest.fixture(autouse=True)
def every_process_stays_up():
    """Overrides the e2e package's check on its shared system: this module starts none of its own
    (the run command starts and supervises the processes here) and kills one on purpose."""
    yield


# -- the real run command --------------------------------------------------------------------------
@dataclass
class RunCommand:
    proc: subprocess.Popen
    running: Running            # addresses, databases and the driver; its System is never started

    def output(self) -> str:
        return self.running.log_file.read_text(errors="replace")

    def children(self) -> dict[str, int]:
        """The pid of each process the run command has started, by name."""
        found = {}
        for pid, (ppid, _) in _processes().items():
            if ppid == self.proc.pid:
                name = _process_name(pid)
                if name:
                    found[name] = pid
        return found

    def group(self) -> list[int]:
        """Every process still in the run command's process group (itself included)."""
        return [pid for pid, (_, pgid) in _processes().items() if pgid == self.proc.pid]

    def wait(self, what: str, probe, timeout: float):
        deadline = time.monotonic() + timeout
        while not (found := probe()):
            if self.proc.poll() is not None:
                raise AssertionError(f"the run command exited ({self.proc.returncode}) while waiting for "
                                     f"{what}:\n{self.output()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not after {timeout}s\n{self.output()[-3000:]}")
            time.sleep(0.2)
        return found


def _processes() -> dict[int, tuple[int, int]]:
    """Every live process: pid -> (parent pid, process group)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":   # a zombie has exited already
                found[int(entry.name)] = (int(fields[1]), int(fields[2]))
    return found


def _process_name(pid: int) -> str | None:
    try:
        command = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    text = [part.decode() for part in command]
    for spec in SERVICES:
        if spec.path in text:
            return spec.name
    for box in SANDBOXES:
        if box.module in text:
            return box.name
    return None


def _health(running: Running, name: str) -> str:
    """Where a process says it is ready: a service's readiness, a sandbox's health."""
    return f"{running.url(name)}/health" + ("/ready" if name in {s.name for s in SERVICES} else "")


def _ready(running: Running) -> bool:
    return all(_ok(_health(running, spec.name)) for spec in SERVICES + SANDBOXES)


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _stop_group(proc: subprocess.Popen) -> None:
    """Cleanup whatever happened: nothing of the run command outlives the test."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


@pytest.fixture
def run_command(tmp_path):
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        databases = {}
        for spec in SERVICES:
            databases[spec.name] = create_pg_database()
            stack.callback(drop_pg_database, databases[spec.name])
        clock_file, log_file, offset = tmp_path / "clock", tmp_path / "run.log", free_offset()
        overrides = dict(QUICK, AMQP_URI=amqp_uri, **{CLOCK_FILE: str(clock_file)},
                         FOLLOWUP_FILE_STORE=str(tmp_path / "files"),
                         **{f"{name.upper()}_DATABASE_URL": url for name, url in databases.items()})
        output = stack.enter_context(open(log_file, "wb"))
        proc = subprocess.Popen([sys.executable, "-m", "ops", "run"], cwd=ROOT, stdout=output,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                env=dict(os.environ, **overrides, **{PORT_OFFSET: str(offset)}))
        stack.callback(_stop_group, proc)
        addresses = System(env=overrides, port_offset=offset, sandboxes=False)
        command = RunCommand(proc, Running(addresses, amqp_uri, databases, clock_file, log_file,
                                           staff_credentials("supervision")))
        command.wait("every process ready", lambda: _ready(command.running), timeout=60)
        ensure_staff(databases["gateway"], command.running.staff)   # migrated by the run command
        yield command


@pytest.mark.timeout(120)
def test_a_service_killed_under_the_run_command_comes_back_by_itself_and_the_journey_in_flight_completes(
        run_command):
    driver = run_command.running.driver(timeout=45)
    patient = driver.enquire(1)
    driver.screen(patient)

    children = run_command.children()
    assert set(children) == {spec.name for spec in SERVICES + SANDBOXES}, children
    os.kill(children[KILLED], signal.SIGKILL)
    driver.accept(patient)   # patient_accepted is published while payments is down: in flight

    said = run_command.wait("the run command to say it restarts payments", lambda: [
        line for line in run_command.output().splitlines()
        if line.startswith(f"{KILLED} exited with code -9; restarting in 1 s (restart 1)")], timeout=10)
    assert len(said) == 1
    restarted = run_command.wait("payments started again", lambda: (
        pid := run_command.children().get(KILLED)) and pid != children[KILLED] and pid, timeout=15)
    run_command.wait("payments ready again", lambda: _ok(_health(run_command.running, KILLED)), timeout=45)

    # The journey goes on through payments (the invoice the accepted event asks for, the deposit)
    # and every later stage.
    driver.pay_deposit(patient)
    driver.wait_surgery_scheduled(patient)
    driver.wait_itinerary_confirmed(patient)
    driver.preop_check(patient)
    driver.operate(patient)
    driver.ward_stay(patient)
    driver.discharge(patient)
    driver.rehabilitate(patient)
    driver.fit_prosthesis(patient)
    driver.complete_rehabilitation(patient)
    driver.wait_followup_plan(patient)
    assert driver.wait_stage(patient, "follow_up")["stalled"] == []
    assert run_command.children()[KILLED] == restarted          # started once, stayed up
    others = {name: pid for name, pid in run_command.children().items() if name != KILLED}
    assert others == {name: pid for name, pid in children.items() if name != KILLED}
    assert run_command.running.parked() == {}

    # Ctrl-C, as a terminal sends it: to the whole process group.
    before = len(run_command.output().splitlines())
    os.killpg(run_command.proc.pid, signal.SIGINT)
    assert run_command.proc.wait(40) == 0
    after = run_command.output().splitlines()[before:]
    assert "Carepath stopped." in after
    assert not [line for line in after if "restarting in" in line or "Traceback" in line], after
    assert run_command.group() == []
    assert not [name for name in children if _ok(_health(run_command.running, name))]


# -- the Supervisor's rules, on a stand-in System and clock ----------------------------------------
class StandIn:
    """System's surface the Supervisor uses: procs, exited(), start_one()."""

    def __init__(self, *names: str):
        self.procs = {name: None for name in names}
        self.codes: dict[str, int] = {}
        self.started: list[str] = []

    def exit(self, name: str, code: int) -> None:
        self.codes[name] = code

    def exited(self) -> list[tuple[str, int]]:
        return [(name, self.codes[name]) for name in self.procs if name in self.codes]

    def start_one(self, name: str) -> None:
        self.codes.pop(name, None)
        self.procs[name] = object()
        self.started.append(name)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def supervised(*names: str, **options):
    system, clock, said = StandIn(*names), Clock(), []
    return system, clock, said, Supervisor(system, say=said.append, clock=clock, **options)


def test_a_process_that_keeps_exiting_waits_twice_as_long_each_time_up_to_the_cap():
    system, clock, said, supervisor = supervised("payments", max_delay=8)
    waits = []
    for _ in range(6):
        clock.now += 5                      # up 5 s: not steady
        system.exit("payments", -9)
        supervisor.check()
        due = supervisor._due["payments"]
        waits.append(due - clock.now)
        clock.now = due - 0.01
        supervisor.check()
        assert system.started.count("payments") == len(waits) - 1   # not before its time
        clock.now = due
        supervisor.check()
        assert system.started.count("payments") == len(waits)
    assert waits == [1, 2, 4, 8, 8, 8]
    assert said[:3] == ["payments exited with code -9; restarting in 1 s (restart 1)",
                        "payments exited with code -9; restarting in 2 s (restart 2)",
                        "payments exited with code -9; restarting in 4 s (restart 3)"]
    assert len(said) == 6


def test_the_wait_is_back_to_a_second_once_the_process_has_stayed_up_a_while():
    system, clock, said, supervisor = supervised("travel", steady_after=60)
    for up_for in (1, 1, 61):
        clock.now += up_for
        system.exit("travel", 1)
        supervisor.check()
        clock.now = supervisor._due["travel"]
        supervisor.check()
    assert [line.split("restarting in ")[1] for line in said] == ["1 s (restart 1)", "2 s (restart 2)",
                                                                   "1 s (restart 3)"]


def test_one_exit_is_said_and_restarted_once_however_often_it_is_looked_at():
    system, clock, said, supervisor = supervised("gateway", "journey")
    system.exit("gateway", 0)
    for _ in range(6):                      # 0 s to 1.25 s after the exit
        supervisor.check()
        clock.now += 0.25
    assert said == ["gateway exited with code 0; restarting in 1 s (restart 1)"]
    assert system.started == ["gateway"]


def test_nothing_is_started_again_once_everything_is_stopping_nor_a_process_taken_out():
    system, clock, said, supervisor = supervised("payments", "surgery")
    system.exit("payments", -15)
    supervisor.check()
    supervisor.stopping = True
    clock.now += 5
    system.exit("surgery", -2)
    supervisor.check()
    assert system.started == [] and len(said) == 1

    system, clock, said, supervisor = supervised("payments")
    system.exit("payments", -9)
    supervisor.check()
    del system.procs["payments"]            # System.kill: the caller's to start again, or not
    clock.now += 5
    supervisor.check()
    assert system.started == []
