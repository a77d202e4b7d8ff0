"""The whole system for end-to-end and fault tests: every service its own process (as `make run`
starts them), on fresh PostgreSQL databases and a fresh RabbitMQ vhost, with the sandbox
providers, ports of its own and its own simulated clock."""
import random
import socket
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import MetaData, func, select

from ops.journeys import JourneyDriver, ensure_staff, staff_credentials
from ops.run import REPLICA_PORT_STEP, System, instance_name, instance_port
from ops.services import MAIL_SINK, SANDBOXES, SERVICES
from shared import deadletters, topology
from shared.clock import CLOCK_FILE
from shared.db import Store
from shared.tables import add_kernel_tables
from shared.testing.infra import create_pg_database, drop_pg_database, temp_vhost

# Faster than the defaults, so a failed delivery is retried within a test's patience.
QUICK = {"OUTBOX_POLL_INTERVAL": "0.2", "EVENT_RETRY_DELAYS": "0.2,0.5,1,2,5,10,20,30",
         "TRAVEL_TICK_SECONDS": "0.2", "ENQUIRIES_RATE_LIMIT_REQUESTS": "10000",
         "NOTIFICATIONS_TICK_SECONDS": "0.2"}


@dataclass
class Running:
    system: System
    amqp_uri: str
    databases: dict[str, str]
    clock_file: Path
    log_file: Path
    staff: dict[str, tuple[str, str]]

    def url(self, name: str) -> str:
        """A service's (its first instance's, `surgery-2` for the second) or a sandbox's address."""
        spec, number = self.system.instance(name)
        port = instance_port(spec, number) if spec else next(s.port for s in SANDBOXES if s.name == name)
        return f"http://127.0.0.1:{port + self.system.port_offset}"

    def serving_url(self, service: str) -> str:
        """The address of an instance of `service` that is running (with replicas, one may be stopped)."""
        for name in self.system.procs:
            spec, _ = self.system.instance(name)
            if spec is not None and spec.name == service:
                return self.url(name)
        return self.url(service)

    def driver(self, say=None, **options) -> JourneyDriver:
        return JourneyDriver(self.system.gateway_url, self.staff, self.url("payment-provider"),
                             self.clock_file, say=say, **options)

    def parked(self) -> dict[str, list[dict]]:
        """Each service's parked dead letters (none, when all went well)."""
        found = {}
        for name, url in self.databases.items():
            store = Store(url, add_kernel_tables(MetaData()))
            try:
                found[name] = deadletters.list_letters(store)
            finally:
                store.dispose()
        return {name: letters for name, letters in found.items() if letters}

    def wait_quiet(self, timeout: float = 30.0, settle: int = 4) -> None:
        """Until nothing is in flight: every outbox published and every handler queue empty,
        `settle` polls in a row (a handler at work commits to its outbox before it acks)."""
        from kombu import Connection

        from ops.run import service_classes
        queues = [queue.name for _, cls in service_classes() for queue in topology.handler_queues(cls)]
        stores = {name: Store(url, add_kernel_tables(MetaData())) for name, url in self.databases.items()}
        quiet_polls, deadline = 0, time.monotonic() + timeout
        try:
            with Connection(self.amqp_uri) as conn:
                channel = conn.channel()
                while quiet_polls < settle:
                    busy = _unpublished(stores) + [name for name in queues
                                                   if channel.queue_declare(name, passive=True).message_count]
                    quiet_polls = 0 if busy else quiet_polls + 1
                    if busy and time.monotonic() > deadline:
                        raise AssertionError(f"still busy after {timeout}s: {busy}")
                    time.sleep(0.25)
        finally:
            for store in stores.values():
                store.dispose()

    def log_tail(self, lines: int = 40, problems_only: bool = False) -> str:
        found = self.log_file.read_text(errors="replace").splitlines()
        if problems_only:
            found = [line for line in found if '"level": "WARNING"' in line or '"level": "ERROR"' in line
                     or "Traceback" in line]
        return "\n".join(found[-lines:])


def _unpublished(stores: dict[str, Store]) -> list[str]:
    busy = []
    for name, store in stores.items():
        outbox = store.kernel.outbox
        with store.session() as session:
            pending = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            if session.scalar(pending):
                busy.append(f"{name} outbox")
    return busy


def free_offset(attempts: int = 50, replicas: int = 1) -> int:
    """A port offset putting every process on a free port, away from `make run`'s 8000-8102
    and below the ephemeral range, where any client's outgoing connection may take a port
    between this check and the service's bind."""
    ports = [spec.port for spec in SERVICES + SANDBOXES + (MAIL_SINK,)]
    ports += [spec.port + n * REPLICA_PORT_STEP for spec in SERVICES for n in range(1, replicas)]
    high = _ephemeral_low() - max(ports)
    high = high if high > 11_000 else 65_000 - max(ports)  # no room below it: anywhere
    for _ in range(attempts):
        offset = random.randrange(10_000, high, 10)
        if all(_free(port + offset) for port in ports):
            return offset
    raise RuntimeError("no free range of ports found")


def _ephemeral_low(default: int = 32768) -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return default


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def running_system(workdir: Path, env: dict | None = None, ready_timeout: float = 120.0, replicas: int = 1):
    """Start everything (`replicas` instances of each service), wait until every process is ready,
    yield a Running; stop and drop it all."""
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        databases = {}
        for spec in SERVICES:
            databases[spec.name] = create_pg_database()
            stack.callback(drop_pg_database, databases[spec.name])
        clock_file, log_file = workdir / "clock", workdir / "system.log"
        overrides = dict(QUICK, AMQP_URI=amqp_uri, **{CLOCK_FILE: str(clock_file)},
                         FOLLOWUP_FILE_STORE=str(workdir / "files"),
                         NOTIFICATIONS_MAIL_DIR=str(workdir / "mail"), **(env or {}),
                         **{f"{name.upper()}_DATABASE_URL": url for name, url in databases.items()})
        output = stack.enter_context(open(log_file, "wb"))
        system = System(env=overrides, port_offset=free_offset(replicas=replicas), output=output,
                        replicas=replicas)
        system.prepare()
        running = Running(system, amqp_uri, databases, clock_file, log_file, staff_credentials("e2e"))
        ensure_staff(databases["gateway"], running.staff)
        stack.callback(system.stop)
        # The first instance of each service, then the others: starting a process costs a second or two
        # of CPU, and eighteen at once on two cores outlast the broker's connection timeouts.
        system.start(numbers=[1])
        wait_ready(running, ready_timeout)
        if replicas > 1:
            system.start(numbers=list(range(2, replicas + 1)))
            wait_ready(running, ready_timeout)
        yield running


def wait_ready(running: Running, timeout: float) -> None:
    names = [instance_name(s.name, n) for s in SERVICES for n in range(1, running.system.replicas + 1)]
    checks = [(name, f"{running.url(name)}/health/ready") for name in names if name in running.system.procs]
    checks += [(b.name, f"{running.url(b.name)}/health") for b in SANDBOXES]
    if running.system.mail_sink:   # the SMTP sink answers on its port
        checks.append((MAIL_SINK.name, f"smtp://127.0.0.1:{MAIL_SINK.port + running.system.port_offset}"))
    deadline = time.monotonic() + timeout
    while checks:
        if running.system.exited():
            raise RuntimeError(f"exited: {running.system.exited()}\n{running.log_tail()}")
        checks = [(name, url) for name, url in checks if not _ok(url)]
        if checks and time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout}s: {[n for n, _ in checks]}\n{running.log_tail()}")
        time.sleep(0.3)


def _ok(url: str) -> bool:
    if url.startswith("smtp://"):
        host, port = url[len("smtp://"):].rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=2).close()
            return True
        except OSError:
            return False
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
