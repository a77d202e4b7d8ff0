"""One running stack per test module: broker vhost, PostgreSQL, gateway, payments, sandbox provider
(reached through a gate that can make the provider refuse refunds for a while).

Module-scoped to keep the suite fast; every test works on its own journey ids.
"""
import json
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import eventlet
import eventlet.wsgi
import pytest
import requests
from kombu import Connection, Exchange
from sqlalchemy import func, select
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request

from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.payments import models
from services.payments.service import PaymentsService
from services.payments.tests.factories import accepted_payload
from shared.config import ROOT
from shared.db import Store
from shared.events import new_event, to_wire
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, EventTap, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost, wait_for

NEW_SECRET, OLD_SECRET = "whsec_test_new_secret", "whsec_test_old_secret"
PASSWORD = "a long enough test password"
REFUND_RETRY = {"attempts": 3, "first_delay_seconds": 0.1, "backoff_factor": 2, "max_delay_seconds": 0.5}


class ProviderGate:
    """Stands between payments and the sandbox provider: passes every call on, except that
    refunds are answered 503 while `refunds_down`. Counts the refund calls by journey."""

    def __init__(self, target: str):
        self.target = target
        self.refunds_down = False
        self.refunds = {"refused": [], "passed": []}

    def refund_calls(self, outcome: str, journey_id: str) -> int:
        return self.refunds[outcome].count(journey_id)

    def __call__(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        if request.path == "/v1/refunds":
            journey = (json.loads(body or b"{}").get("metadata") or {}).get("journey_id")
            self.refunds["refused" if self.refunds_down else "passed"].append(journey)
            if self.refunds_down:
                return self._answer(start_response, 503, b'{"error": "unavailable"}')
        upstream = requests.request(request.method, self.target + request.full_path.rstrip("?"), data=body,
                                    headers={k: v for k, v in request.headers.items()
                                             if k in ("Content-Type", "Idempotency-Key")}, timeout=10)
        return self._answer(start_response, upstream.status_code, upstream.content)

    @staticmethod
    def _answer(start_response, status: int, content: bytes):
        headers = [("Content-Type", "application/json")]
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, '')}", headers)
        return [content]


def _start_gate(stack: ExitStack, target: str) -> tuple[ProviderGate, str]:
    gate, port = ProviderGate(target), free_port()
    sock = eventlet.listen(("127.0.0.1", port))
    server = eventlet.spawn(eventlet.wsgi.server, sock, gate, log_output=False)
    stack.callback(lambda: (server.kill(), sock.close()))
    return gate, f"http://127.0.0.1:{port}"


@dataclass
class Stack:
    amqp_uri: str
    config: dict
    gateway: str
    sandbox: str
    store: Store
    tokens: dict
    gate: ProviderGate
    cluster: Cluster
    payments_config: dict

    def publish(self, producer: str, event_type: str, payload: dict, journey_id: str) -> str:
        """Publish an input event as another service would (through the kernel's envelope); its id."""
        event = new_event(producer, event_type, payload, journey_id)
        exchange = Exchange(f"{producer}.events", type="topic", durable=True)
        with Connection(self.amqp_uri) as conn:
            conn.Producer().publish(json.dumps(to_wire(event)).encode(), exchange=exchange,
                                    routing_key=event_type, content_type="application/json",
                                    content_encoding="utf-8", delivery_mode=2, declare=[exchange])
        return event.event_id

    def handled(self, event_id: str) -> bool:
        """Payments has handled an input event (its inbox is the record)."""
        inbox = models.kernel.inbox
        return self.count(inbox, inbox.c.event_id == event_id) > 0

    def accept(self, journey_id: str, **overrides) -> models.Invoice:
        """A patient accepted; returns the invoice once it is issued."""
        self.publish("enquiries", "patient_accepted", accepted_payload(**overrides), journey_id)
        return wait_for(lambda: self.invoice(journey_id), message="no invoice issued")

    def invoice(self, journey_id: str) -> models.Invoice | None:
        with self.store.session() as session:
            return session.scalar(select(models.Invoice).where(models.Invoice.journey_id == journey_id))

    def count(self, model, *where) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where))

    def emitted(self, journey_id: str, event_type: str) -> int:
        """How many events of a type payments committed for a journey (its outbox is the record)."""
        outbox = models.kernel.outbox
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(outbox).where(
                outbox.c.journey_id == journey_id, outbox.c.event_type == event_type))

    def payloads(self, journey_id: str, event_type: str) -> list[dict]:
        """The payloads of the events of a type payments committed for a journey, in order."""
        outbox = models.kernel.outbox
        with self.store.session() as session:
            bodies = session.scalars(select(outbox.c.body).where(
                outbox.c.journey_id == journey_id, outbox.c.event_type == event_type).order_by(outbox.c.id))
            return [json.loads(body)["payload"] for body in bodies]

    def attention(self, journey_id: str | None = None, kind: str | None = None) -> list[dict]:
        """Finance's attention list (as finance reads it), narrowed to a journey and a kind."""
        response = requests.get(f"{self.gateway}/api/finance/attention", headers=self.staff(), timeout=10)
        assert response.status_code == 200, response.text
        return [item for item in response.json()["items"]
                if (journey_id is None or item["journey_id"] == journey_id) and kind in (None, item["kind"])]

    def staff(self, role: str = "finance") -> dict:
        """The headers of a staff member with `role`, signed in (one user per role, seeded)."""
        if role not in self.tokens:
            signed_in = requests.post(f"{self.gateway}/api/auth/token", timeout=10,
                                      json={"username": role, "password": PASSWORD})
            assert signed_in.status_code == 200, signed_in.text
            self.tokens[role] = signed_in.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def tap(self) -> EventTap:
        return EventTap(self.amqp_uri, "payments")

    @contextmanager
    def payments_stopped(self):
        """Payments killed (its unacked work goes back to its queues) until the block ends; then a
        fresh payments takes up what waited for it."""
        running = next(c for c in self.cluster.containers if c.service_name == "payments")
        self.cluster.containers.remove(running)
        running.kill()
        try:
            yield
        finally:
            self.cluster.start(PaymentsService, self.payments_config)


def _seed_staff(stack: ExitStack, gateway_url: str) -> None:
    """One staff user per role in the gateway's database, named after the role (finance is staff:1)."""
    gateway_store = Store(gateway_url, gateway_models.kernel)
    stack.callback(gateway_store.dispose)
    with gateway_store.session() as session:
        for role in sorted(STAFF_ROLES, key=lambda role: role != "finance"):
            create_user(session, role, PASSWORD, role)


def _start_sandbox(port: int, gateway: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "sandboxes.payment_provider", "--port", str(port),
                             "--gateway", gateway, "--secret", NEW_SECRET], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the sandbox provider did not start")


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def stack(request, tmp_path_factory):
    """The payments database on PostgreSQL, then on SQLite (the embedded default)."""
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        gateway_url = stack.enter_context(temp_pg_database())
        if request.param == "sqlite":
            payments_url = f"sqlite:///{tmp_path_factory.mktemp('payments')}/payments.db"
        else:
            payments_url = stack.enter_context(temp_pg_database())
        upgrade("payments", payments_url)
        upgrade("gateway", gateway_url)
        _seed_staff(stack, gateway_url)
        sandbox_port = free_port()
        gate, gate_url = _start_gate(stack, f"http://127.0.0.1:{sandbox_port}")
        config = service_config(amqp_uri, {"payments": payments_url, "gateway": gateway_url})
        config["PAYMENTS"] = dict(config["PAYMENTS"], provider="sandbox", provider_url=gate_url,
                                  webhook_secrets=f"{NEW_SECRET},{OLD_SECRET}", refund_retry=REFUND_RETRY)
        config["PAYMENTS"]["checkout_origin"] = f"http://127.0.0.1:{sandbox_port}"   # its payers' pages
        config["GATEWAY"] = dict(config["GATEWAY"], public_url=web_url(config))     # payers come back here
        sandbox = _start_sandbox(sandbox_port, web_url(config))
        stack.callback(lambda: (sandbox.kill(), sandbox.wait(10)))
        cluster = Cluster(amqp_uri)
        stack.callback(cluster.stop_all)
        payments_config = dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
        cluster.start(PaymentsService, payments_config)
        cluster.start(GatewayService, config)
        store = Store(payments_url, models.kernel)
        stack.callback(store.dispose)
        yield Stack(amqp_uri, config, web_url(config), f"http://127.0.0.1:{sandbox_port}", store, {}, gate,
                    cluster, payments_config)


@pytest.fixture
def journey_id():
    return str(uuid.uuid4())
