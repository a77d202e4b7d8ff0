"""The fault injector's tools: a driver that can be paused and retries through an outage,
progress counted from the driver's narration, a supervisor, the broker switch, the retries
RabbitMQ holds, and an administrator at the API."""
import threading
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlparse

import requests

from ops.journeys import admission
from ops.journeys.api import Api, StepFailed
from shared.testing.infra import RABBIT_AUTH, RABBIT_MGMT

# Answers that mean "the request was not served": safe to send again, for any method.
# A call that timed out is retried only when it reads (it may have been served).
UNSERVED = (500, 502, 503, 504)
READS = ("GET", "HEAD")


class Gate:
    """Every call the driver makes passes here: `pause()` stops new calls and waits for the
    ones under way; `resume()` lets them go on. Re-entrant (a call may sign in first)."""

    def __init__(self):
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Condition()
        self._busy = 0
        self._local = threading.local()

    @contextmanager
    def call(self):
        depth = getattr(self._local, "depth", 0)
        if depth == 0:
            while True:
                self._open.wait()
                with self._lock:
                    if self._open.is_set():
                        self._busy += 1
                        break
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth
            if depth == 0:
                with self._lock:
                    self._busy -= 1
                    self._lock.notify_all()

    def pause(self, timeout: float = 60.0) -> None:
        with self._lock:
            self._open.clear()
            if not self._lock.wait_for(lambda: self._busy == 0, timeout):
                raise AssertionError(f"{self._busy} driver calls still under way after {timeout}s")

    def resume(self) -> None:
        self._open.set()


class Calls:
    """What the patched HTTP layer saw: retries by cause, for the test's report."""

    def __init__(self):
        self.retried = Counter()
        self._lock = threading.Lock()

    def note(self, cause: str) -> None:
        with self._lock:
            self.retried[cause] += 1


def patch_driver_http(monkeypatch, gate: Gate, calls: Calls, patience: float = 120.0) -> None:
    """Route every driver call (gateway API and payment sandbox) through the gate, retrying
    what an outage leaves unserved until `patience` runs out."""
    send = Api._send

    def gated_send(api, method, path, body):
        deadline = time.monotonic() + patience
        while True:
            with gate.call():
                try:
                    response, cause = send(api, method, path, body), None
                except requests.ConnectionError as exc:
                    response, cause = None, type(exc).__name__   # refused: nothing was sent
                except requests.Timeout as exc:
                    if method not in READS:
                        raise StepFailed(f"{method} /api{path} timed out: it may or may not have "
                                         "been served, so it is not sent again") from exc
                    response, cause = None, type(exc).__name__
            if response is not None and response.status_code not in UNSERVED:
                return response
            cause = cause or f"{response.status_code}"
            calls.note(f"{method} {cause}")
            if time.monotonic() > deadline:
                if response is not None:
                    return response
                raise StepFailed(f"{method} /api{path} failed for {patience:.0f}s ({cause})")
            time.sleep(0.5)

    class GatedRequests:
        """`requests` as the driver's admission steps use it (paying at the sandbox)."""
        def __getattr__(self, name):
            return getattr(requests, name)

        @staticmethod
        def post(*args, **kwargs):
            with gate.call():
                return requests.post(*args, **kwargs)

    monkeypatch.setattr(Api, "_send", gated_send)
    monkeypatch.setattr(admission, "requests", GatedRequests())


class Progress:
    """Counts the driver's narration by step ("accepted", "deposit", "surgery", ...)."""

    def __init__(self):
        self.steps = Counter()
        self._changed = threading.Condition()

    def say(self, line: str) -> None:
        step = line.split("] ", 1)[-1].split(" ", 1)[0].rstrip(":")
        with self._changed:
            self.steps[step] += 1
            self._changed.notify_all()

    def wait(self, step: str, count: int, timeout: float = 120.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.steps[step] >= count, timeout):
                raise AssertionError(f"only {self.steps[step]} of {count} journeys reached "
                                     f"'{step}' in {timeout}s: {dict(self.steps)}")


class Supervisor:
    """Starts again any process that exits, as the deployment's restart policy does
    (docker-compose: `restart: unless-stopped`), and records each restart."""

    def __init__(self, system):
        self.system = system
        self.restarted: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True, name="supervisor")

    def __enter__(self) -> "Supervisor":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            for name, code in self.system.exited():
                self.restarted.append((name, code))
                self.system.start_one(name)


def queue_consumers(amqp_uri: str) -> dict[str, int]:
    """Every queue of the URI's vhost with its number of consumers (management API)."""
    vhost = unquote(urlparse(amqp_uri).path[1:]) or "/"
    response = requests.get(f"{RABBIT_MGMT}/api/queues/{quote(vhost, safe='')}",
                            params={"columns": "name,consumers"}, auth=RABBIT_AUTH, timeout=5)
    response.raise_for_status()
    return {queue["name"]: queue.get("consumers", 0) for queue in response.json()}


def every_consumer_back(amqp_uri: str, queue_names) -> bool:
    """True once every handler and RPC queue, and the gateway's reply queue, is consumed again."""
    try:
        found = queue_consumers(amqp_uri)
    except requests.RequestException:
        return False
    replies = [name for name in found if name.startswith("rpc.reply-gateway")]
    return all(found.get(name, 0) > 0 for name in queue_names) and any(found[r] > 0 for r in replies)


def backlog(amqp_uri: str, queue_names) -> int:
    """Messages waiting in these queues (what piled up behind a stopped consumer)."""
    from kombu import Connection
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        return sum(channel.queue_declare(name, passive=True).message_count for name in queue_names)


def undelivered_webhooks(running) -> list[str]:
    """Webhooks a sandbox gave up on (its retries ran out): the explanation of a stuck journey."""
    found = []
    payments = requests.get(f"{running.url('payment-provider')}/sandbox/deliveries", timeout=10).json()
    delivered = {d["event_id"] for d in payments["deliveries"] if d["status"] and 200 <= d["status"] < 300}
    found += sorted({f"payment provider gave up on {d['type']} {d['event_id']}"
                     for d in payments["deliveries"] if d["event_id"] not in delivered})
    agency = requests.get(f"{running.url('travel-agency')}/_sandbox/deliveries", timeout=10).json()
    found += [f"travel agency gave up on {d['type']} {d['id']} (last answer {d['status']})"
              for d in agency["deliveries"] if not (isinstance(d["status"], int) and d["status"] < 300)]
    return found


def waiting_retries(amqp_uri: str) -> int:
    """Messages waiting out a retry in the handlers' delay queues (RabbitMQ holds them)."""
    from ops.run import service_classes
    from shared import topology
    return backlog(amqp_uri, [q.name for _, cls in service_classes() for q in topology.delay_queues(cls)])


def wait_settled(running, timeout: float) -> None:
    """Until nothing is in flight, nor waiting for a retry: the handlers' queues and outboxes
    empty (`Running.wait_quiet`) and every delay queue empty too."""
    deadline = time.monotonic() + timeout
    while True:
        running.wait_quiet(timeout=max(deadline - time.monotonic(), 1))
        if waiting_retries(running.amqp_uri) == 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{waiting_retries(running.amqp_uri)} messages still wait for a retry "
                                 f"after {timeout}s")
        time.sleep(1)


class Admin:
    """An administrator at the gateway's API (dead letters, readiness)."""

    def __init__(self, running):
        self.running = running
        username, password = running.staff["administrator"]
        answer = requests.post(f"{running.system.gateway_url}/api/auth/token", timeout=30,
                               json={"username": username, "password": password})
        answer.raise_for_status()
        self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def call(self, method: str, path: str, **params) -> requests.Response:
        headers = dict(self.headers)
        if method != "GET":
            headers["Idempotency-Key"] = str(uuid.uuid4())
        return requests.request(method, f"{self.running.system.gateway_url}/api{path}", params=params,
                                headers=headers, timeout=60)

    def dead_letters(self, **params) -> list[dict]:
        answer = self.call("GET", "/dead-letters", **params)
        assert answer.status_code == 200, answer.text[:500]
        return answer.json()

    def parked_counts(self) -> dict[str, int]:
        """What each service's readiness check says is parked."""
        from ops.services import SERVICES
        return {spec.name: requests.get(f"{self.running.serving_url(spec.name)}/health/ready", timeout=10)
                .json()["dead_letters"] for spec in SERVICES}


def retries_held(amqp_uri: str) -> int:
    """How many failed deliveries RabbitMQ has held for a retry so far (management API)."""
    vhost = unquote(urlparse(amqp_uri).path[1:]) or "/"
    response = requests.get(f"{RABBIT_MGMT}/api/queues/{quote(vhost, safe='')}",
                            params={"columns": "name,message_stats.publish"}, auth=RABBIT_AUTH, timeout=5)
    response.raise_for_status()
    return sum((queue.get("message_stats") or {}).get("publish", 0)
               for queue in response.json() if ".retry-" in queue["name"])
