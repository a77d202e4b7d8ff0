"""The gateway and the surgery service running together, for tests through the API."""
import contextlib
import uuid

import pytest
import requests

from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.surgery.tests.integration.support import (
    PAYMENT,
    accepted,
    event,
    outbox,
    publish,
    surgery_running,
    wait_handled,
)
from shared.clock import CLOCK_FILE, set_simulated
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import web_url
from shared.testing.infra import free_port

PASSWORD = "a long enough test password"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The gateway and the surgery service (one surgery a day, so one booking fills a day)."""
    with _running(tmp_path_factory, {"surgeries_per_day": 1}) as running:
        yield running


@pytest.fixture(scope="module")
def strict_api(tmp_path_factory):
    """A strict clinic: an unpaid balance blocks the surgery, and it looks 45 days ahead but
    postpones a patient found not fit by 60, so such a postponement waits for a planner."""
    with _running(tmp_path_factory, {"surgeries_per_day": 1, "unpaid_balance": "block",
                                     "scheduling_horizon_days": 45, "not_fit_postpone_days": 60}) as running:
        yield running


@pytest.fixture
def clinic_day(monkeypatch, tmp_path):
    """Set the clinic's simulated date (services in this process read it), for one test."""
    path = tmp_path / "clock"
    monkeypatch.setenv(CLOCK_FILE, str(path))
    return lambda day: set_simulated(path, day)


@contextlib.contextmanager
def _running(tmp_path_factory, surgery_settings: dict):
    gateway_db = f"sqlite:///{tmp_path_factory.mktemp('gateway')}/gateway.db"
    upgrade("gateway", gateway_db)
    users = Store(gateway_db, gateway_models.kernel)
    with users.session() as session:
        for role in STAFF_ROLES:
            create_user(session, role, PASSWORD, role)
    users.dispose()
    with surgery_running(surgery_settings, gateway=gateway_db) as (cluster, config, store):
        gateway_config = dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
        cluster.start(GatewayService, gateway_config)
        yield Api(web_url(gateway_config), config, store)


class Api:
    def __init__(self, base, config, store):
        self.base, self.config, self.store, self._tokens = base, config, store, {}

    def call(self, method, path, role="planner", **kwargs):
        if role not in self._tokens:
            login = {"username": role, "password": PASSWORD}
            response = requests.post(f"{self.base}/api/auth/token", json=login, timeout=30)
            self._tokens[role] = {"Authorization": "Bearer " + response.json()["access_token"]}
        return requests.request(method, f"{self.base}/api{path}", headers=self._tokens[role], timeout=30,
                                **kwargs)

    def case(self, journey):
        return self.call("GET", f"/journeys/{journey}/surgery").json()

    def scheduled_journey(self, side: str = "left") -> str:
        journey = str(uuid.uuid4())
        facts = (event("enquiries", "patient_accepted", accepted(side=side), journey),
                 event("payments", "deposit_paid", PAYMENT, journey))
        self.deliver(*facts)
        return journey

    def payments_say(self, journey: str, event_type: str, payload: dict) -> None:
        """A payments fact about the journey, delivered and handled."""
        self.deliver(event("payments", event_type, payload, journey))

    def deliver(self, *facts) -> None:
        publish(self.config["AMQP_URI"], *facts)
        wait_handled(self.store, *facts)

    def events(self, journey):
        return [(item["type"], item["payload"]) for item in outbox(self.store, journey)]
