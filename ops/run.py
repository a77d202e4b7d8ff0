"""The run command: migrate, declare queues, start every process, start again any that exits,
stop them all on Ctrl-C.

`System` is also what the end-to-end and fault tests start: the same
processes, on the test's own broker vhost, databases and ports. Only the run
command supervises (`Supervisor`); the tests kill and start processes themselves.
"""
import importlib
import importlib.util
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from ops.services import MAIL_SINK, SANDBOXES, SERVICES
from services.gateway.settings import UnsafeSecret, check_secret
from shared import topology
from shared.clock import CLOCK_FILE
from shared.config import ROOT, database_url, load_config
from shared.migrations import upgrade


def available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def service_classes():
    for spec in SERVICES:
        module, cls = spec.path.split(":")
        if available(module):
            yield spec, getattr(importlib.import_module(module), cls)


@contextmanager
def environment(overrides: dict):
    """Config is read with these environment overrides in force."""
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def broker_reachable(amqp_uri: str) -> bool:
    from kombu import Connection
    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def prepare(config: dict) -> list:
    """Migrate every service's database and declare every handler queue."""
    started = list(service_classes())
    for spec, _ in started:
        upgrade(spec.name, database_url(config, spec.name))
    topology.declare(config["AMQP_URI"], [cls for _, cls in started])
    return started


# The n-th instance of a service (n > 1) answers its health checks this many ports above the first
# times n - 1; the gateway's instances share its one public port (SO_REUSEPORT, which eventlet sets:
# the kernel spreads the connections between them, and a stopped one's go to the others).
REPLICA_PORT_STEP = 200


def instance_name(service: str, number: int) -> str:
    """The process name of a service's `number`-th instance: `surgery`, `surgery-2`, ..."""
    return service if number == 1 else f"{service}-{number}"


def instance_port(spec, number: int) -> int:
    return spec.port if spec.name == "gateway" else spec.port + (number - 1) * REPLICA_PORT_STEP


class System:
    """Every service as its own `nameko run` process (`replicas` of each, competing consumers on the
    same queues and databases), plus the sandbox providers."""

    def __init__(self, env: dict | None = None, port_offset: int = 0, sandboxes: bool = True,
                 output=None, replicas: int = 1):
        self.port_offset, self.replicas = port_offset, replicas
        self.gateway_url = f"http://127.0.0.1:{SERVICES[0].port + port_offset}"
        self.env = dict(os.environ, **(env or {}))
        # Local runs keep a simulated clock file (absent: the real date) so the
        # demo can move a journey through its months; production never sets it.
        self.env.setdefault(CLOCK_FILE, str(ROOT / "var" / "clock"))
        for box, variable in zip(SANDBOXES, ("PAYMENT_PROVIDER_URL", "TRAVEL_AGENCY_URL"), strict=True):
            self.env.setdefault(variable, f"http://127.0.0.1:{box.port + port_offset}")
        # The links in the clinic's emails and the payment provider's way back open this system's gateway.
        self.env.setdefault("GATEWAY_PUBLIC_URL", self.gateway_url)
        # No relay of one's own: the local SMTP sink keeps each message under var/mail.
        self.mail_sink = not self.env.get(SMTP_URL)
        if self.mail_sink:
            self.env[SMTP_URL] = f"smtp://127.0.0.1:{MAIL_SINK.port + port_offset}"
            self.env.setdefault(MAIL_DIR, str(ROOT / "var" / "mail"))
        self.sandboxes = sandboxes
        self.output = output
        self.procs: dict[str, subprocess.Popen] = {}
        with environment(dict(env or {})):
            self.config = load_config()

    def prepare(self) -> list:
        return prepare(self.config)

    def start(self, numbers: list[int] | None = None) -> "System":
        """Every process; `numbers` names which instances of each service (all, unless given), and the
        sandboxes start with the first."""
        for spec, _ in service_classes():
            for number in numbers or range(1, self.replicas + 1):
                self.start_one(instance_name(spec.name, number))
        if numbers and 1 not in numbers:
            return self
        if self.sandboxes:
            for box in SANDBOXES:
                if available(box.module):
                    self.start_one(box.name)
        if self.mail_sink and available(MAIL_SINK.module):
            self.start_one(MAIL_SINK.name)
        return self

    def instance(self, name: str):
        """(the service's spec, which instance) of a process name, or (None, 0) for a sandbox."""
        for spec in SERVICES:
            for number in range(1, self.replicas + 1):
                if instance_name(spec.name, number) == name:
                    return spec, number
        return None, 0

    def start_one(self, name: str) -> None:
        spec, number = self.instance(name)
        if spec is not None:
            env = dict(self.env, WEB_SERVER_ADDRESS=f"{self.env.get('BIND_HOST', '127.0.0.1')}:"
                                                    f"{instance_port(spec, number) + self.port_offset}")
            command = [sys.executable, "-m", "ops.nameko_run", "run", "--config",
                       str(ROOT / "config.yaml"), spec.path]
        elif name == MAIL_SINK.name:
            env = self.env
            port = MAIL_SINK.port + self.port_offset
            command = [sys.executable, "-m", MAIL_SINK.module, "--port", str(port),
                       "--dir", self.env[MAIL_DIR]]
        else:
            box = next(b for b in SANDBOXES if b.name == name)
            env = self.env
            command = [sys.executable, "-m", box.module, "--port", str(box.port + self.port_offset),
                       "--gateway", self.gateway_url]
        self.procs[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.output,
                                            stderr=self.output, preexec_fn=_as_child)

    def kill(self, name: str) -> None:
        """SIGKILL one process (fault tests)."""
        proc = self.procs.pop(name)
        proc.kill()
        proc.wait(10)

    def exited(self) -> list[tuple[str, int]]:
        return [(name, proc.returncode) for name, proc in self.procs.items() if proc.poll() is not None]

    def stop(self, grace: float = 20.0) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()


SMTP_URL, MAIL_DIR = "NOTIFICATIONS_SMTP_URL", "NOTIFICATIONS_MAIL_DIR"
PORT_OFFSET = "CAREPATH_PORT_OFFSET"  # added to every process's port (a second system beside `make run`)


def main() -> int:
    system = System(port_offset=int(os.environ.get(PORT_OFFSET) or 0))
    try:
        check_secret(system.config["AUTH"]["token_secret"], system.env.get("BIND_HOST", "127.0.0.1"))
    except UnsafeSecret as exc:
        print(f"Refusing to start: {exc}", file=sys.stderr)
        return 1
    if not broker_reachable(system.config["AMQP_URI"]):
        print(f"RabbitMQ is not reachable at {_safe(system.config['AMQP_URI'])}: start it with "
              "`rabbitmq-server -detached` (or point AMQP_URI at a running broker).", file=sys.stderr)
        return 1
    # Nothing of this system runs yet: queues an earlier release declared classic are moved over first.
    from ops.queues import migrate
    migrate(system.config["AMQP_URI"], [cls for _, cls in service_classes()],
            report=lambda line: print(line, file=sys.stderr))
    system.prepare()
    system.start()
    print(f"Carepath is running: API {system.gateway_url}/api  docs {system.gateway_url}/docs  "
          f"board {system.gateway_url}/ui/board  "
          f"mail sent {system.gateway_url}/ui/mail\n"
          f"Processes: {', '.join(system.procs)}. Press Ctrl-C to stop.", flush=True)
    return supervise(system)


class Supervisor:
    """Starts again any process of `system` that exits, as compose's `restart: unless-stopped` does:
    after `first_delay`, doubling up to `max_delay` for a process that keeps exiting, back to
    `first_delay` once it has stayed up `steady_after` seconds; each restart said on stderr.

    A process taken out of `system.procs` (System.kill) is not started again, nor is any once
    `stopping` is set: then everything is being stopped.
    """

    def __init__(self, system: System, first_delay: float = 1.0, max_delay: float = 30.0,
                 steady_after: float = 60.0, say=None, clock=time.monotonic):
        self.system = system
        self.first_delay, self.max_delay, self.steady_after = first_delay, max_delay, steady_after
        self.say = say or (lambda text: print(text, file=sys.stderr, flush=True))
        self.clock = clock
        self.stopping = False
        self.restarts: dict[str, int] = {}       # restarts so far, by process
        self._delay: dict[str, float] = {}       # the last wait before a restart, by process
        self._due: dict[str, float] = {}         # exited, to be started again at this time
        now = clock()
        self._started = {name: now for name in system.procs}

    def run(self, poll: float = 0.2) -> None:
        """Until `stopping` is set (by the signal handler)."""
        while not self.stopping:
            self.check()
            time.sleep(poll)

    def check(self) -> None:
        """One look: note each process that exited, start again each one that is due."""
        now = self.clock()
        for name, returncode in self.system.exited():
            if self.stopping:
                return
            if name not in self._due:
                self._schedule(name, now, f"{name} exited with code {returncode}")
        for name, due in sorted(self._due.items(), key=lambda item: item[1]):
            if self.stopping:
                return
            if name not in self.system.procs:   # taken out meanwhile: not ours to start
                del self._due[name]
            elif due <= now:
                del self._due[name]
                try:
                    self.system.start_one(name)
                except OSError as exc:
                    self._schedule(name, now, f"{name} could not be started ({exc})")
                else:
                    self._started[name] = now

    def _schedule(self, name: str, now: float, what: str) -> None:
        up_for = now - self._started.get(name, now)
        if name in self._delay and up_for < self.steady_after:
            delay = min(self._delay[name] * 2, self.max_delay)
        else:
            delay = self.first_delay
        self._delay[name] = delay
        self._due[name] = now + delay
        self.restarts[name] = self.restarts.get(name, 0) + 1
        self.say(f"{what}; restarting in {delay:g} s (restart {self.restarts[name]})")


def supervise(system: System, supervisor: Supervisor | None = None) -> int:
    """Keep every process up until SIGINT or SIGTERM, then stop them all."""
    supervisor = supervisor or Supervisor(system)

    def stop(*_):
        supervisor.stopping = True
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        supervisor.run()
    finally:
        system.stop()
        print("Carepath stopped.", flush=True)
    return 0


def _as_child() -> None:
    """In the child: Ctrl-C is the run command's to handle (it stops each process once, with
    SIGTERM: nameko stopped by both signals trips over its own second stop), and SIGTERM comes
    when the run command goes, however it goes (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # not Linux: Ctrl-C reaching the group stops them


def _safe(uri: str) -> str:
    """The URI without its password, for messages."""
    if "@" in uri and "//" in uri:
        scheme, rest = uri.split("//", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}//{creds.split(':')[0]}:***@{host}"
    return uri


if __name__ == "__main__":
    sys.exit(main())
