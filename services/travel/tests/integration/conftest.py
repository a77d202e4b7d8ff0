"""One running system per test module: broker vhost, PostgreSQL, travel + gateway, sandbox agency.

Tests keep apart by journey id; the sandbox's switches are reset before each.
"""
import json
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import requests
from kombu import Connection, Exchange
from sqlalchemy import func, select

from services.gateway import models as gateway_models
from services.gateway.domain.roles import TRAVEL_DESK
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.journey.service import JourneyService
from services.travel import models
from services.travel.service import TravelService
from shared.config import ROOT
from shared.consumers import rpc
from shared.db import Store
from shared.errors import EXPECTED, Conflict, NotFound
from shared.events import new_event, to_wire
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, EventTap, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost, wait_for

PASSWORD = "a long enough test password"
SANDBOX_SECRET = "travel_local_sandbox_secret"
RETRY = {"attempts": 3, "first_delay_seconds": 0.1, "backoff_factor": 2, "max_delay_seconds": 1}
PASSENGER = {"given_names": "Kari Anne", "surname": "Nordmann-Testesen", "date_of_birth": "1980-06-15",
             "nationality": "NO"}
WITHOUT_PASSENGER: set[str] = set()   # journeys whose passenger details enquiries has not recorded


class StubEnquiries:
    """Stands in for enquiries, the owner of the passenger's identity, over real RPC."""
    name = "enquiries"

    @rpc(expected_exceptions=EXPECTED)
    def passenger_identity(self, journey_id):
        if journey_id in WITHOUT_PASSENGER:
            raise Conflict("the passenger's given_names, surname are not recorded",
                           missing=["given_names", "surname"])
        if journey_id == "00000000-0000-0000-0000-000000000000":
            raise NotFound("no enquiry for this journey")
        return dict(PASSENGER)


def plan(start: date = date(2027, 3, 1), shift: int = 0) -> dict:
    day = start + timedelta(days=shift)
    return {"surgery_id": str(uuid.uuid4()), "arrival_by": day, "preop_check_date": day + timedelta(days=2),
            "surgery_date": day + timedelta(days=3), "planned_ward_discharge": day + timedelta(days=7),
            "planned_rehab_end": day + timedelta(days=35), "departure_date": day + timedelta(days=36)}


@dataclass
class Env:
    amqp_uri: str
    gateway: str
    sandbox: str
    store: Store
    tap: EventTap
    token: str

    def publish(self, producer: str, event_type: str, payload: dict, journey: str) -> None:
        body = json.dumps(to_wire(new_event(producer, event_type, payload, journey)))
        exchange = Exchange(f"{producer}.events", type="topic", durable=True)
        with Connection(self.amqp_uri) as conn:
            conn.Producer().publish(body.encode(), exchange=exchange, routing_key=event_type,
                                    declare=[exchange], content_type="application/json",
                                    content_encoding="utf-8", delivery_mode=2)

    def events(self, journey: str, event_type: str) -> list[dict]:
        return [e for e in self.tap.drain() if e["journey_id"] == journey and e["type"] == event_type]

    def wait_event(self, journey: str, event_type: str, count: int = 1) -> dict:
        return wait_for(lambda: len(self.events(journey, event_type)) >= count and
                        self.events(journey, event_type)[count - 1],
                        message=f"no {event_type} #{count} for {journey}")

    @staticmethod
    def new_journey() -> str:
        return str(uuid.uuid4())

    def schedule(self, country: str = "GB", the_plan: dict | None = None,
                 journey: str | None = None) -> tuple[str, dict]:
        journey, the_plan = journey or self.new_journey(), the_plan or plan()
        self.publish("enquiries", "patient_accepted", {
            "enquiry_id": str(uuid.uuid4()), "amputation_level": "transfemoral", "amputation_side": "left",
            "body_weight_kg": "80.0", "preferred_language": "en", "country": country}, journey)
        wait_for(lambda: self.store_count(models.Traveller, models.Traveller.journey_id == journey))
        self.publish("surgery", "surgery_scheduled", the_plan, journey)
        return journey, the_plan

    def confirmed(self, **kwargs) -> tuple[str, dict]:
        journey, the_plan = self.schedule(**kwargs)
        self.wait_event(journey, "itinerary_confirmed")
        return journey, the_plan

    def orders(self, journey: str) -> dict:
        found = requests.get(f"{self.sandbox}/_sandbox/orders", params={"traveller_ref": journey}, timeout=5)
        return found.json()

    def sandbox_post(self, path: str, body: dict) -> dict:
        response = requests.post(self.sandbox + path, json=body, timeout=5)
        response.raise_for_status()
        return response.json()

    def wait_delivered(self, order_id: str, event_type: str, copies: int = 1) -> None:
        """Wait until the sandbox has delivered an order's webhook (every copy) to the gateway."""
        def delivered():
            found = requests.get(f"{self.sandbox}/_sandbox/deliveries", timeout=5).json()["deliveries"]
            return len([d for d in found if (d["order_id"], d["type"], d["status"]) ==
                        (order_id, event_type, 200)]) >= copies
        wait_for(delivered, message=f"{event_type} for {order_id} was not delivered {copies} times")

    def switches(self, **values) -> None:
        requests.post(f"{self.sandbox}/_sandbox/switches", json=values, timeout=5).raise_for_status()

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.gateway}/api{path}", timeout=10,
                                headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def itinerary(self, journey: str) -> dict:
        response = self.api("GET", f"/travel/journeys/{journey}/itinerary")
        assert response.status_code == 200, response.text
        return response.json()

    def store_count(self, model, *where) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where))


@contextmanager
def running(travel_db: str, gateway_db: str, amqp_uri: str, log_dir, journey_db: str | None = None):
    """Travel + gateway (+ the journey's timeline, given its database) in this process and the
    sandbox agency as a real process."""
    upgrade("travel", travel_db)
    upgrade("gateway", gateway_db)
    if journey_db:
        upgrade("journey", journey_db)
    gateway_store = Store(gateway_db, gateway_models.kernel)
    with gateway_store.session() as session:
        create_user(session, "desk", PASSWORD, TRAVEL_DESK)
    gateway_store.dispose()
    sandbox_url = f"http://127.0.0.1:{free_port()}"
    config = service_config(amqp_uri, {"travel": travel_db, "gateway": gateway_db,
                                       **({"journey": journey_db} if journey_db else {})})
    config["TRAVEL"] = dict(config["TRAVEL"], agency_url=sandbox_url, tick_seconds=0.1,
                            webhook_secrets=f"a_newer_secret,{SANDBOX_SECRET}", compensation_retry=RETRY,
                            passenger_wait_seconds=60)   # a recorded passenger wakes the booking at once
    log = open(log_dir / "sandbox.log", "w")
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "sandboxes.travel_agency", "--port", sandbox_url.rsplit(":", 1)[1],
         "--gateway", web_url(config), "--secret", SANDBOX_SECRET], cwd=ROOT, stdout=log, stderr=log)
    cluster = Cluster(amqp_uri)
    store = Store(travel_db, models.kernel)
    tap = EventTap(amqp_uri, "travel")
    try:
        cluster.start(StubEnquiries, config)
        cluster.start(TravelService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
        cluster.start(GatewayService, config)
        if journey_db:
            cluster.start(JourneyService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
        wait_for(lambda: _up(sandbox_url + "/health"), message="the sandbox agency did not start")
        login = requests.post(web_url(config) + "/api/auth/token", timeout=10,
                              json={"username": "desk", "password": PASSWORD})
        yield Env(amqp_uri, web_url(config), sandbox_url, store, tap, login.json()["access_token"])
    finally:
        cluster.stop_all()
        tap.close()
        store.dispose()
        sandbox.terminate()
        sandbox.wait(10)
        log.close()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The system on PostgreSQL, with the journey service keeping the timeline."""
    with temp_vhost() as amqp_uri, temp_pg_database() as travel_db, temp_pg_database() as gateway_db, \
            temp_pg_database() as journey_db:
        with running(travel_db, gateway_db, amqp_uri, tmp_path_factory.mktemp("sandbox"), journey_db) as env:
            yield env


@pytest.fixture(autouse=True)
def calm_agency(request):
    """Every test starts with a well-behaved agency."""
    if "env" in request.fixturenames:
        request.getfixturevalue("env").switches(
            duplicates=False, reorder=False, delay_seconds=0, refuse_book=False, refuse_change=False,
            refuse_cancel=False, schedule_change_days=0)


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False
