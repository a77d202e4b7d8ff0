"""A running portal for tests: the gateway, follow-up and notifications (sending to a real SMTP sink) on
the real broker and PostgreSQL, with the journey, travel and enquiries services stood in for by small RPC
stubs answering one patient's facts (their own suites test what they answer). One home patient has a
follow-up plan with check-ups. `running_portal(enquiries=True)` runs the real enquiries service instead of its
stub, so a journey reaches an open questionnaire through the API, as a real one does."""
import json
import re
import tempfile
import uuid
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path

import requests
from kombu import Connection, Exchange
from sqlalchemy import func, select

from services.enquiries.service import EnquiriesService
from services.enquiries.tests.integration.helpers import (
    Client,
    screen_to_the_questionnaire,
    submitted,
    suitability,
)
from services.followup import models as followup_models
from services.followup.service import FollowupService
from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.gateway.tests.conftest import PASSWORD
from services.notifications import models as notifications_models
from services.notifications.service import NotificationsService
from services.notifications.tests.integration.support import Sink
from shared.clock import ClinicClock
from shared.consumers import rpc
from shared.db import Store
from shared.errors import EXPECTED, NotFound
from shared.events import new_event, to_wire
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost, wait_for

TODAY = ClinicClock().today()   # the clinic's date, as the services count days (not UTC's)
LANGUAGES: dict[str, str] = {}   # journey -> the language given with the enquiry


def _day(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


class Journeys:
    name = "journey"

    @rpc
    def timeline(self, journey_id):
        return {"journey_id": journey_id, "entries": []}

    @rpc
    def patient_view(self, journey_id):
        return {"stage": "Check-ups at home",
                "next_steps": ["Please pay the rest of the price before your surgery.",
                               "We are planning your check-ups from home."],
                "appointments": [{"on": _day(-30), "what": "Your surgery", "past": True},
                                 {"on": _day(20), "what": "Rest of the price due", "past": False},
                                 {"on": _day(40), "what": "Your flight home", "past": False}]}


class Travel:
    name = "travel"

    @rpc
    def get_itinerary(self, journey_id):
        flight = {"id": "b1", "part": "outbound", "kind": "flight", "source": "agency", "status": "confirmed",
                  "current": True, "origin": "WAW", "destination": "AMS", "wanted_start": _day(-35),
                  "wanted_end": _day(-35), "booked_start": _day(-35), "booked_end": _day(-35),
                  "order_id": "o1", "confirmation_code": "KL4T2Q", "cost_cents": 30000}
        hotel = dict(flight, id="b2", part="hotel_stay", kind="hotel", origin=None, destination=None,
                     wanted_end=_day(40), booked_end=_day(40), confirmation_code="HTL-889")
        home = dict(flight, id="b3", part="return", origin="AMS", destination="WAW", wanted_start=_day(40),
                    booked_start=_day(40), confirmation_code="KL9R7Z")
        return {"id": "i1", "journey_id": journey_id, "status": "confirmed", "confirmed": True,
                "arrival_by": _day(-35), "departure_date": _day(40), "bookings": [flight, hotel, home],
                "history": [_history(-60, "booking_confirmed", "outbound"),
                            _history(-40, "schedule_changed", "return")]}


def _history(days: int, code: str, part: str) -> dict:
    return {"at": f"{_day(days)}T10:00:00+00:00", "code": code, "part": part, "details": {},
            "actor": "agency"}


class Enquiries:
    name = "enquiries"

    @rpc
    def contact_for(self, journey_id):
        return {"email": "patient@example.org", "name": "A. Patient", "country": "PL", "time_zone": None,
                "language": LANGUAGES.get(journey_id, "en")}

    @rpc(expected_exceptions=EXPECTED)
    def show_questionnaire(self, journey_id):
        raise NotFound("the questionnaire is not open for this journey")   # this patient is home already

    @rpc
    def consents(self, journey_id):
        return list(WITHDRAWN.get(journey_id, {}).values()) + [
            _consent(purpose) for purpose in ("privacy", "health_data", "marketing")
            if purpose not in WITHDRAWN.get(journey_id, {})]

    @rpc
    def withdraw_consent(self, journey_id, command):
        withdrawn = dict(_consent(command["purpose"]), withdrawn_at="2026-03-02T10:00:00+00:00",
                         withdrawn_via=command["channel"])
        WITHDRAWN.setdefault(journey_id, {})[command["purpose"]] = withdrawn
        return withdrawn


WITHDRAWN: dict[str, dict] = {}   # journey -> purpose -> the consent as withdrawn


def _consent(purpose: str) -> dict:
    return {"purpose": purpose, "text_version": "2026-01", "language": "en", "channel": "web_form",
            "given_at": "2026-01-05T09:30:00+00:00", "withdrawn_at": None, "withdrawn_via": None}


class Payments:
    name = "payments"

    @rpc
    def payment_overview(self, journey_id):
        return {"currency": "EUR", "cancelled": False, "parts": [
            {"part": "deposit", "amount_cents": 2_250_000, "outstanding_cents": 0, "due": _day(-80),
             "paid": True, "payable": False, "not_payable_because": None},
            {"part": "balance", "amount_cents": 2_250_000, "outstanding_cents": 2_250_000, "due": _day(20),
             "paid": False, "payable": True, "not_payable_because": None}]}


class Portal:
    def __init__(self, amqp_uri, base, followup_db, gateway_db, notifications_db=None, sink=None):
        self.amqp_uri, self.base, self.followup_db, self.gateway_db = amqp_uri, base, followup_db, gateway_db
        self.notifications_db, self.sink = notifications_db, sink
        self._tokens: dict[str, str] = {}

    def staff(self, role: str) -> dict:
        """A signed-in role's header, signed in once per system (sign-ins are rate limited)."""
        if role not in self._tokens:
            answer = requests.post(f"{self.base}/api/auth/token",
                                   json={"username": role, "password": PASSWORD})
            self._tokens[role] = answer.json()["access_token"]
        return {"Authorization": "Bearer " + self._tokens[role]}

    def link(self, journey_id: str) -> str:
        answer = requests.post(f"{self.base}/api/journeys/{journey_id}/patient-link", json={"valid_days": 1},
                               headers=self.staff("intake_coordinator"))
        assert answer.status_code == 201, answer.text
        return answer.json()["token"]

    def patient(self, journey_id: str) -> requests.Session:
        """A browser that opened the patient's personal link."""
        browser = requests.Session()
        opened = browser.get(f"{self.base}/ui/patient", params={"token": self.link(journey_id)})
        assert opened.status_code == 200 and opened.url.endswith("/p/journey"), opened.status_code
        return browser

    def _publish(self, producer, event_type, payload, journey):
        exchange = Exchange(f"{producer}.events", type="topic", durable=True)
        body = json.dumps(to_wire(new_event(producer, event_type, payload, journey))).encode()
        with Connection(self.amqp_uri) as conn:
            conn.Producer().publish(body, exchange=exchange, routing_key=event_type,
                                    content_type="application/json", content_encoding="utf-8",
                                    delivery_mode=2, declare=[exchange])

    def questionnaire_patient(self, language: str = "en") -> str:
        """A journey at its questionnaire (running_portal(enquiries=True)): the enquiry sent on the public
        form, the staff's screening steps before the questionnaire done over the API, and the questionnaire
        opened by the intake coordinator issuing its link, as the clinic does."""
        with ExitStack() as clients:
            public = clients.enter_context(Client(self.base))
            journey = submitted(public, suitability(preferred_language=language, country="PL"))["journey_id"]

            def staff(role: str) -> Client:
                client = clients.enter_context(Client(self.base))
                client.headers.update(self.staff(role))
                return client
            screen_to_the_questionnaire(staff, journey)
            opened = staff("intake_coordinator").post(f"/api/enquiries/{journey}/questionnaire/link")
            assert opened.status_code == 201, opened.text
        return journey

    def home_patient(self, language: str = "en", country: str = "PL", journey: str | None = None) -> str:
        """A patient operated on and home again, whose check-ups follow-up has planned (a new journey, or
        the facts of these stages for `journey`)."""
        journey = journey or str(uuid.uuid4())
        LANGUAGES[journey] = language
        self._publish("enquiries", "patient_accepted", {
            "enquiry_id": f"ENQ-{journey[:8]}", "amputation_level": "transfemoral", "amputation_side": "left",
            "body_weight_kg": "80.0", "preferred_language": language, "country": country}, journey)
        self._publish("surgery", "surgery_performed", {
            "surgery_id": str(uuid.uuid4()), "performed_on": TODAY - timedelta(days=30), "side": "left",
            "implant_type": "OPRA", "implant_size": "M", "implant_lot": "LOT-1"}, journey)
        self._publish("rehabilitation", "rehab_completed", {
            "plan_id": str(uuid.uuid4()), "completed_on": TODAY - timedelta(days=2),
            "planned_end": TODAY - timedelta(days=2)}, journey)
        query = select(func.count()).select_from(followup_models.Plan).where(
            followup_models.Plan.journey_id == journey)
        def planned():
            with self.followup_db.session() as session:
                return session.scalar(query) == 1
        wait_for(planned)
        return journey


@contextmanager
def running_portal(enquiries: bool = False):
    with temp_vhost() as amqp_uri, ExitStack() as databases_made, tempfile.TemporaryDirectory() as mail:
        services = ("followup", "gateway", "notifications") + (("enquiries",) if enquiries else ())
        databases = {name: databases_made.enter_context(temp_pg_database()) for name in services}
        for service, database in databases.items():
            upgrade(service, database)
        gateway_db = Store(databases["gateway"], gateway_models.kernel)
        followup_db = Store(databases["followup"], followup_models.kernel)
        notifications_db = Store(databases["notifications"], notifications_models.kernel)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, databases)
        sink = Sink(Path(mail), free_port()).start()
        # The emails' personal links open this gateway; they go to the sink, checked often.
        config["GATEWAY"] = dict(config["GATEWAY"], public_url=web_url(config))
        config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], smtp_url=f"smtp://127.0.0.1:{sink.port}",
                                       mail_dir=mail, tick_seconds=0.1, send_timeout_seconds=5)
        cluster = Cluster(amqp_uri)
        try:
            cluster.start(FollowupService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(NotificationsService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(GatewayService, config)
            if enquiries:
                cluster.start(EnquiriesService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            for stub in (Journeys, Travel, Payments) + (() if enquiries else (Enquiries,)):
                cluster.start(stub, config)
            yield Portal(amqp_uri, web_url(config), followup_db, gateway_db, notifications_db, sink)
        finally:
            cluster.stop_all()
            sink.stop()
            followup_db.dispose()
            gateway_db.dispose()
            notifications_db.dispose()


CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
