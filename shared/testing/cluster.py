"""Run services in-process (nameko containers) or as real processes for a test."""
import copy
import os
import signal
import subprocess
import sys
import tempfile

import eventlet
import yaml
from kombu import Connection, Exchange, Queue
from nameko.containers import ServiceContainer

from shared import topology
from shared.config import ROOT, load_config
from shared.testing.infra import free_port


def service_config(amqp_uri: str, databases: dict, **overrides) -> dict:
    """config.yaml with this test's broker, databases and a free web port."""
    config = copy.deepcopy(load_config())
    config["AMQP_URI"] = amqp_uri
    config["DATABASES"] = dict(config["DATABASES"], **databases)
    config["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{free_port()}"
    config["EVENT_RETRY"] = {"delays_seconds": [0.05, 0.1], "jitter": 0}   # quick, for tests
    config["OUTBOX"] = {"batch_size": 200, "poll_interval_seconds": 0.5}
    config.pop("LOGGING", None)
    config.update(overrides)
    return config


class Cluster:
    """Starts service containers in this process and stops them all at the end."""

    def __init__(self, amqp_uri: str):
        self.amqp_uri = amqp_uri
        self.containers: list[ServiceContainer] = []

    def start(self, service_cls, config: dict) -> ServiceContainer:
        # Creating a durable queue costs the broker milliseconds, and a service has up to 70 handlers:
        # the delay queues are left to the handlers, which declare each before its first use.
        topology.declare(self.amqp_uri, [service_cls], with_delay_queues=False)
        container = ServiceContainer(service_cls, config)
        container.start()
        self.containers.append(container)
        return container

    def stop(self, container: ServiceContainer) -> None:
        container.stop()
        self.containers.remove(container)

    def stop_all(self) -> None:
        """Tear down after a test: kill, not stop (a graceful stop waits ~1 s per consumer
        for nameko's drain loop, and the test's vhost is deleted anyway)."""
        # All at once: each kill waits up to a second for its consumer's drain loop to notice.
        pool = eventlet.GreenPool()
        for container in reversed(self.containers):
            pool.spawn(container.kill)
        pool.waitall()
        self.containers.clear()


def web_url(config: dict) -> str:
    return "http://" + config["WEB_SERVER_ADDRESS"]


class EventTap:
    """Records every event a producer publishes, through a queue of its own.

    Bind it before the events are published; `types()` lists what arrived.
    """

    def __init__(self, amqp_uri: str, producer: str, routing_key: str = "#"):
        self._conn = Connection(amqp_uri)
        exchange = Exchange(f"{producer}.events", type="topic", durable=True)
        self._queue = Queue("", exchange=exchange, routing_key=routing_key, exclusive=True,
                            auto_delete=True)
        self._bound = self._queue(self._conn.channel())
        self._bound.declare()
        self.events: list[dict] = []

    def drain(self) -> list[dict]:
        while True:
            message = self._bound.get(no_ack=True)
            if message is None:
                return self.events
            self.events.append(message.payload)

    def types(self) -> list[str]:
        return [event["type"] for event in self.drain()]

    def of_type(self, event_type: str) -> list[dict]:
        return [event for event in self.drain() if event["type"] == event_type]

    def close(self) -> None:
        self._conn.release()


class ServiceProcess:
    """A service run as its own process with `nameko run`, as in production."""

    def __init__(self, service_path: str, config: dict, env: dict | None = None):
        self.service_path = service_path
        self.config = config
        handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        yaml.safe_dump(config, handle)
        handle.close()
        self.config_path = handle.name
        self.env = dict(os.environ, **(env or {}))
        self.proc: subprocess.Popen | None = None

    def start(self) -> "ServiceProcess":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nameko", "run", "--config", self.config_path, self.service_path],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
