"""A running system for the staff pages: the gateway, enquiries and the journey on the real broker and
PostgreSQL (one each per test module). People enquire through the public form, so enquiries holds their
names and the journey hears of them as it does in production; facts no stage here produces are
published as their producers would."""
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select

from services.enquiries.service import EnquiriesService
from services.enquiries.tests.integration.helpers import Client, suitability
from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.models import AccessLogEntry
from services.gateway.service import GatewayService
from services.journey.service import JourneyService
from services.journey.tests.conftest import publish
from services.journey.tests.story import event
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost, wait_for

PASSWORD = "a long enough test password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class StaffSystem:
    base: str
    amqp_uri: str
    gateway_db: Store
    tokens: dict = field(default_factory=dict)

    def token(self, role: str) -> dict:
        """A signed-in role's header, signed in once (sign-ins from one address are rate limited)."""
        if role not in self.tokens:
            answer = requests.post(f"{self.base}/api/auth/token",
                                   json={"username": role, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            self.tokens[role] = {"Authorization": "Bearer " + answer.json()["access_token"]}
        return self.tokens[role]

    def browser(self, role: str) -> requests.Session:
        """A signed-in staff browser (the page cookie)."""
        session = requests.Session()
        session.cookies.set("carepath_staff", self.token(role)["Authorization"].split()[1], path="/ui")
        return session

    def enquire(self, name: str, date_of_birth: str, email: str | None = None) -> str:
        """A suitability enquiry from the public form (its own address); the journey once on the board."""
        form = suitability(name=name, date_of_birth=date_of_birth,
                           **({"email": email} if email else {}))
        with Client(self.base) as client:
            sent = client.post("/api/enquiries/suitability", json=form)
        assert sent.status_code == 201, sent.text
        journey = sent.json()["journey_id"]
        self.on_board(journey)
        return journey

    def on_board(self, journey: str) -> None:
        staff = self.token("planner")
        wait_for(lambda: requests.get(f"{self.base}/api/journeys/{journey}/timeline", headers=staff).ok,
                 message=f"journey {journey} on the board")

    def journey_of_facts(self, *facts: tuple[str, str, dict, timedelta]) -> str:
        """A journey told only by facts published as their producers would (`ago` before now)."""
        journey, now = str(uuid.uuid4()), datetime.now(UTC)
        publish(self.amqp_uri, *(event(producer, kind, payload, journey, at=now - ago)
                                 for producer, kind, payload, ago in facts))
        staff = self.token("planner")
        wait_for(lambda: requests.get(f"{self.base}/api/journeys/{journey}/timeline", headers=staff).json()
                 .get("event_count") == len(facts), message=f"the facts of {journey}")
        return journey

    def logged(self, *where) -> list[AccessLogEntry]:
        with self.gateway_db.session() as session:
            rows = session.scalars(select(AccessLogEntry).where(*where).order_by(AccessLogEntry.id)).all()
            session.expunge_all()
            return list(rows)


@contextmanager
def running_staff_system():
    with temp_vhost() as amqp_uri, temp_pg_database() as enquiries_url, temp_pg_database() as journey_url, \
            temp_pg_database() as gateway_url:
        urls = {"enquiries": enquiries_url, "journey": journey_url, "gateway": gateway_url}
        for service, url in urls.items():
            upgrade(service, url)
        gateway_db = Store(gateway_url, gateway_models.kernel)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, urls)
        cluster = Cluster(amqp_uri)
        try:
            cluster.start(JourneyService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
            cluster.start(EnquiriesService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
            cluster.start(GatewayService, config)
            yield StaffSystem(web_url(config), amqp_uri, gateway_db)
        finally:
            cluster.stop_all()
            gateway_db.dispose()
