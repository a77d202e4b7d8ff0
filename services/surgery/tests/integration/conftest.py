"""The gateway and the surgery service running together, for tests through the API."""
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
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import web_url
from shared.testing.infra import free_port

PASSWORD = "a long enough test password"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The gateway and the surgery service (one surgery a day, so one booking fills a day)."""
    gateway_db = f"sqlite:///{tmp_path_factory.mktemp('gateway')}/gateway.db"
    upgrade("gateway", gateway_db)
    users = Store(gateway_db, gateway_models.kernel)
    with users.session() as session:
        for role in STAFF_ROLES:
            create_user(session, role, PASSWORD, role)
    users.dispose()
    with surgery_running({"surgeries_per_day": 1}, gateway=gateway_db) as (cluster, config, store):
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

    def scheduled_journey(self) -> str:
        journey = str(uuid.uuid4())
        facts = (event("enquiries", "patient_accepted", accepted(), journey),
                 event("payments", "deposit_paid", PAYMENT, journey))
        publish(self.config["AMQP_URI"], *facts)
        wait_handled(self.store, *facts)
        return journey

    def events(self, journey):
        return [(item["type"], item["payload"]) for item in outbox(self.store, journey)]
