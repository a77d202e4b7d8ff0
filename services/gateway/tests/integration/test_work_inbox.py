"""My work (/ui/work, GET /api/work) on a running system: the gateway and every stage whose work it
gathers (enquiries, payments, surgery, rehabilitation, travel, follow-up, notifications, and the journey
for its dead letters), one of each for the module, on the real broker and PostgreSQL. The waiting work
is made as staff and patients make it: public forms, screening steps, acceptances, bank transfers, a
pre-op check, an X-ray, patients' messages, a user with a one-time password, a message no consumer can
read. Each role sees its own items and no other role's; a stopped service leaves its sections saying so;
names only for the roles that read them."""
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from kombu import Connection, Exchange
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import select

from ops.journeys.api import Api
from services.enquiries.service import EnquiriesService
from services.enquiries.tests.integration.helpers import Client, months_ago, suitability
from services.followup.service import FollowupService
from services.followup.tests import images
from services.gateway import models as gateway_models
from services.gateway.domain.roles import NAME_READERS, STAFF_ROLES
from services.gateway.domain.work import ROLE_KINDS
from services.gateway.handlers.accounts import create_user
from services.gateway.handlers.work_sources import SHOWN
from services.gateway.models import AccessLogEntry
from services.gateway.service import GatewayService
from services.gateway.tests.browser import CHROMIUM
from services.gateway.tests.pages import signed_in
from services.journey.service import JourneyService
from services.notifications.service import NotificationsService
from services.payments.service import PaymentsService
from services.rehabilitation.service import RehabilitationService
from services.surgery.service import SurgeryService
from services.travel.service import TravelService
from shared.clock import ClinicClock
from shared.config import ROOT
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost, wait_for

PASSWORD = "a long enough test password"
STAGES = {"enquiries": EnquiriesService, "payments": PaymentsService, "surgery": SurgeryService,
          "rehabilitation": RehabilitationService, "travel": TravelService, "followup": FollowupService,
          "notifications": NotificationsService, "journey": JourneyService}   # journey: its dead letters
REQUIRED_STEPS = ("outpatient_invitation", "consultation", "psychologist_call", "specialist_introduction",
                  "questionnaire")
SCREENSHOTS = ROOT / "var" / "screenshots" / "staff"
TODAY = ClinicClock().today()


@dataclass
class WorkSystem:
    base: str
    config: dict
    cluster: Cluster
    gateway_db: Store
    containers: dict = field(default_factory=dict)
    apis: dict = field(default_factory=dict)
    expected: dict = field(default_factory=lambda: defaultdict(set))   # role -> {(kind, journey, ref)}
    people: dict = field(default_factory=dict)                         # journey -> name

    def api(self, role: str) -> Api:
        if role not in self.apis:
            self.apis[role] = Api(self.base, login=(role, PASSWORD))
        return self.apis[role]

    def inbox(self, role: str) -> dict:
        return self.api(role).get("/work")

    def sections(self, role: str) -> dict:
        return {section["kind"]: section for section in self.inbox(role)["sections"]}

    def found(self, role: str) -> set:
        """(kind, journey, reference) of every item in the role's inbox, and (kind, journey, None) too."""
        items = [(s["kind"], i["journey_id"], i["reference"]) for s in self.inbox(role)["sections"]
                 for i in s["items"]]
        return set(items) | {(kind, journey, None) for kind, journey, _ in items}

    def expect(self, role: str, kind: str, journey: str | None, reference: str | None = None) -> None:
        self.expected[role].add((kind, journey, reference))

    def browser(self, role: str) -> requests.Session:
        """A signed-in staff browser: the page cookie holds the role's token."""
        self.api(role).get("/me")
        session = requests.Session()
        session.cookies.set("carepath_staff", self.api(role)._token, path="/ui")
        return session

    def enquire(self, name: str, **form) -> str:
        with Client(self.base) as client:
            sent = client.post("/api/enquiries/suitability", json=suitability(name=name, **form))
        assert sent.status_code == 201, sent.text
        journey = sent.json()["journey_id"]
        self.people[journey] = name
        return journey

    def rpc(self, service: str):
        return ServiceRpcProxy(service, self.config)

    def stop(self, service: str) -> None:
        container = self.containers.pop(service)
        container.kill()
        self.cluster.containers.remove(container)

    def start(self, service: str) -> None:
        self.containers[service] = self.cluster.start(STAGES[service],
                                                      dict(self.config, WEB_SERVER_ADDRESS="127.0.0.1:0"))

    def logged(self, *where) -> list[AccessLogEntry]:
        with self.gateway_db.session() as session:
            rows = session.scalars(select(AccessLogEntry).where(*where)).all()
            session.expunge_all()
            return list(rows)


def _config(amqp_uri: str, urls: dict, folder: Path) -> dict:
    config = service_config(amqp_uri, urls)
    closed = f"127.0.0.1:{free_port()}"   # nothing listens there: the agency and SMTP relay are away
    config["SURGERY"] = dict(config["SURGERY"], travel_lead_days=0, scheduling_horizon_days=30)
    config["PAYMENTS"] = dict(config["PAYMENTS"], deposit_due_days=-1)        # every deposit is overdue
    config["FOLLOWUP"] = dict(config["FOLLOWUP"], file_store=str(folder / "images"))
    config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], smtp_url=f"smtp://{closed}",
                                   mail_dir=str(folder / "mail"), tick_seconds=0.2)
    config["TRAVEL"] = dict(config["TRAVEL"], agency_url=f"http://{closed}", agency_timeout_seconds=1,
                            tick_seconds=0.2)
    # Eight stages in one test process on a busy machine: give each source longer than the 2 s a
    # gateway of its own gives it, or a slow answer reads as a service away.
    config["GATEWAY"] = dict(config["GATEWAY"], work_source_timeout_seconds=6)
    return config


@pytest.fixture(scope="module")
def system():
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        urls = {name: stack.enter_context(temp_pg_database()) for name in (*STAGES, "gateway")}
        for name, url in urls.items():
            upgrade(name, url)
        gateway_db = Store(urls["gateway"], gateway_models.kernel)
        stack.callback(gateway_db.dispose)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = _config(amqp_uri, urls, folder)
        cluster = Cluster(amqp_uri)
        stack.callback(cluster.stop_all)
        running = WorkSystem("", config, cluster, gateway_db)
        cluster.start(GatewayService, config)   # first: it takes the free port before anything else can
        running.base = web_url(config)
        for name in STAGES:
            running.start(name)
        yield running


def _skip_screening(system: WorkSystem, journey: str) -> None:
    for step in REQUIRED_STEPS:
        system.api("intake_coordinator").post(f"/enquiries/{journey}/steps/{step}/skip",
                                              {"reason": "seen at the partner clinic"})


def _accept_and_pay(system: WorkSystem, journey: str, pay: bool = True) -> None:
    _skip_screening(system, journey)
    system.api("specialist").post(f"/enquiries/{journey}/decision", {"decision": "accepted"})
    finance = system.api("finance")
    invoice = wait_for(lambda: finance.maybe(f"/journeys/{journey}/invoice"), message="the invoice")
    if pay:
        finance.post(f"/journeys/{journey}/bank-transfers", {
            "reference": f"BT-{journey[:8]}", "amount_cents": invoice["invoice"]["deposit_cents"],
            "received_on": TODAY.isoformat()})


def _surgery(system: WorkSystem, journey: str, status: str) -> dict:
    planner = system.api("planner")
    def reached():
        case = planner.maybe(f"/journeys/{journey}/surgery")
        return case if case and case["status"] == status else None
    return wait_for(reached, message=f"surgery {status} for {journey}")


def _message(system: WorkSystem, journey: str, role: str) -> str:
    with system.rpc("notifications") as notifications:
        return notifications.post_patient_message(journey, {"text": "A question about my stay",
                                                            "addressed_role": role})["id"]


def _unreadable_event(system: WorkSystem) -> None:
    """A patient_accepted no consumer can read: each parks it as a dead letter at once."""
    exchange = Exchange("enquiries.events", type="topic", durable=True)
    with Connection(system.config["AMQP_URI"]) as conn:
        conn.Producer().publish(b"{not json", exchange=exchange, routing_key="patient_accepted",
                                content_type="application/json", declare=[exchange])


@pytest.fixture(scope="module")
def seeded(system):
    """Waiting work for every role, made through the services' own APIs and RPCs."""
    s = system
    declined = s.enquire("Marta Kowalska", diabetes=True)
    s.expect("intake_coordinator", "prescreen_review", declined)
    fresh = s.enquire("Jonas Berg")
    screened = s.enquire("Ines Duarte")
    for journey in (fresh, screened):
        s.expect("intake_coordinator", "screening_to_arrange", journey)
    at = datetime.combine(TODAY, datetime.min.time().replace(hour=10), ClinicClock().timezone)
    for journey, step, when in ((fresh, "psychologist_call", at - timedelta(days=1)),
                                (screened, "psychologist_call", at + timedelta(days=1)),
                                (screened, "specialist_introduction", at + timedelta(days=2))):
        booked = s.api("intake_coordinator").post(f"/enquiries/{journey}/appointments", {
            "step": step, "channel": "phone", "scheduled_at": when.isoformat()})
        s.expect("psychologist" if step == "psychologist_call" else "specialist", f"{step}_to_hold", journey,
                 str(booked["id"]))
    deciding = s.enquire("Pieter Claes")
    _skip_screening(s, deciding)
    s.expect("specialist", "decision_due", deciding)

    patient, smoker, not_fit, unpaid = (s.enquire("Aoife Byrne"), s.enquire(
        "Lena Vogel", smoking_status="stopped", smoking_stopped_on=months_ago(1)), s.enquire("Tomas Horak"),
        s.enquire("Sara Lind"))
    for journey in (patient, smoker, not_fit):
        _accept_and_pay(s, journey)
    _accept_and_pay(s, unpaid, pay=False)
    s.expect("finance", "deposit_overdue", unpaid)
    _surgery(s, patient, "scheduled")
    s.expect("planner", "preop_check_due", patient)
    _surgery(s, smoker, "blocked")
    s.expect("planner", "scheduling_blocked", smoker)
    _surgery(s, not_fit, "scheduled")
    s.api("specialist").post(f"/journeys/{not_fit}/surgery/preop-check",
                             {"fit": False, "reason_code": "infection"})
    _surgery(s, not_fit, "scheduled")
    s.expect("planner", "not_fit_postponed", not_fit)

    specialist = s.api("specialist")
    wait_for(lambda: specialist.maybe(f"/journeys/{patient}/followup"), message="follow-up knows the patient")
    image = specialist.upload(f"/journeys/{patient}/followup/images", images.png(shade=7), "image/png",
                              params={"body_part": "left_femur", "made_where": "Hospital da Luz, Lisbon"})
    s.expect("specialist", "image_review", patient, image["image"]["id"])
    for role, journey in (("intake_coordinator", fresh), ("specialist", patient), ("finance", unpaid),
                          ("travel_desk", patient), ("physiotherapist", patient)):
        s.expect(role, "messages_unread", journey, _message(s, journey, role))
    s.api("administrator").post("/users", {"username": "new.planner", "password": "a first password for once",
                                           "role": "planner"})
    s.expect("administrator", "users_one_time_password", None)
    _unreadable_event(s)
    s.journeys = {"declined": declined, "fresh": fresh, "screened": screened, "patient": patient,
                  "unpaid": unpaid, "image": image["image"]["id"]}
    return s


def test_each_role_sees_its_own_kinds_of_work_and_none_of_another_roles_items(seeded):
    for role in STAFF_ROLES:
        expected = seeded.expected[role]
        wait_for(lambda role=role, expected=expected: expected <= seeded.found(role),
                 message=f"the {role}'s work", timeout=60)
        inbox = seeded.inbox(role)
        assert [s["kind"] for s in inbox["sections"]] != [] and \
            sorted(s["kind"] for s in inbox["sections"]) == sorted(ROLE_KINDS[role])
        assert inbox["total"] == sum(s["total"] for s in inbox["sections"]) and inbox["role"] == role
        assert all(s["available"] for s in inbox["sections"]), inbox
        for other in set(STAFF_ROLES) - {role}:
            theirs = {item for item in seeded.expected[other] if item[0] not in ROLE_KINDS[role]}
            assert not theirs & seeded.found(role), (role, other)

    def desk_has_the_booking():
        travel = seeded.sections("travel_desk")
        return any(i["journey_id"] == seeded.journeys["patient"]
                   for kind in ("travel_conflict", "travel_task") for i in travel[kind]["items"])
    wait_for(desk_has_the_booking, message="a travel conflict or task for the booking", timeout=60)

    def letters_and_mail():
        # Each consumer parks the unreadable event on its own time, and payments may park invoices it
        # could not send to the (absent) provider before them: wait for letters of two services at least.
        admin = seeded.sections("administrator")
        parked_by = {i["reference"].split("/")[0] for i in admin["dead_letter"]["items"]}
        # An inbox is kept a moment and gathered again in the background: the user appears within it.
        users = [i["code"] for i in admin["users_one_time_password"]["items"]]
        return admin if len(parked_by) >= 2 and admin["mail_parked"]["total"] and users else None
    admin = wait_for(letters_and_mail, message="dead letters of two services, and parked mail", timeout=60)
    letters = admin["dead_letter"]
    # every service's letters in one list, the longest parked first, the first SHOWN of all counted
    assert [i["since"] for i in letters["items"]] == sorted(i["since"] for i in letters["items"])
    assert len(letters["items"]) == min(letters["total"], SHOWN) and letters["total"] >= 2
    assert [i["code"] for i in admin["users_one_time_password"]["items"]] == ["new.planner"]


def test_items_are_overdue_first_then_the_oldest_each_linked_to_where_it_is_done(seeded):
    j = seeded.journeys
    calls = seeded.sections("psychologist")["psychologist_call_to_hold"]["items"]
    assert [(i["journey_id"], i["overdue"]) for i in calls] == [(j["fresh"], True), (j["screened"], False)]
    first = seeded.inbox("psychologist")["sections"][0]
    assert first["kind"] == "psychologist_call_to_hold"   # the section with an overdue item comes first
    assert calls[0]["link"] == f"/ui/journeys/{j['fresh']}#record-appointment"
    intake = seeded.sections("intake_coordinator")
    arrange = [i["journey_id"] for i in intake["screening_to_arrange"]["items"]]
    assert arrange.index(j["fresh"]) < arrange.index(j["screened"])    # the older enquiry first
    review = next(i for i in intake["prescreen_review"]["items"] if i["journey_id"] == j["declined"])
    assert review["code"] == "declined"
    assert review["link"] == f"/ui/journeys/{j['declined']}#override-prescreen"
    assert review["what"].startswith("Automatic pre-screen outcome declined")
    images_ = seeded.sections("specialist")["image_review"]["items"]
    image = next(i for i in images_ if i["reference"] == j["image"])
    assert image["link"] == f"/ui/journeys/{j['patient']}/images/{j['image']}" and image["due_on"]
    deposits = seeded.sections("finance")["deposit_overdue"]["items"]
    deposit = next(i for i in deposits if i["journey_id"] == j["unpaid"])
    assert deposit["overdue"] and deposit["link"] == f"/ui/journeys/{j['unpaid']}#record-bank-transfer"


def test_the_page_shows_names_only_to_the_roles_that_read_them_and_logs_each_journey_listed(seeded):
    j = seeded.journeys
    for role in STAFF_ROLES:
        page = seeded.browser(role).get(f"{seeded.base}/ui/work")
        assert page.status_code == 200, page.text
        total = seeded.inbox(role)["total"]
        assert f"My work <span class=\"count\" aria-label=\"{total} waiting\">({total})</span>" in page.text
        named = [name for name in seeded.people.values() if name in page.text]
        if role not in NAME_READERS:
            assert named == [], (role, named)
        elif role in ("intake_coordinator", "specialist"):
            assert named, role
    intake = seeded.browser("intake_coordinator").get(f"{seeded.base}/ui/work").text
    assert "Marta Kowalska" in intake and f'href="/ui/journeys/{j["declined"]}#override-prescreen"' in intake
    travel = seeded.inbox("travel_desk")
    assert all(i["name"] is None for s in travel["sections"] for i in s["items"])
    assert not travel["names_shown"] and seeded.inbox("intake_coordinator")["names_shown"]
    logged = {(e.role, e.journey_id, e.detail) for e in seeded.logged(AccessLogEntry.action == "ui_work")}
    assert ("intake_coordinator", j["declined"], "with names") in logged
    assert ("travel_desk", j["patient"], None) in logged
    assert {e.journey_id for e in seeded.logged(AccessLogEntry.action == "my_work",
                                                AccessLogEntry.role == "finance")} >= {j["unpaid"]}


def test_a_stopped_service_leaves_its_sections_saying_so_and_the_page_still_shows(seeded):
    seeded.stop("travel")
    try:   # an inbox gathered just before is kept a moment (GATEWAY.work_inbox_seconds)
        def travel_away():
            found = seeded.sections("travel_desk")
            return None if found["travel_conflict"]["available"] else found
        sections = wait_for(travel_away, message="travel away", timeout=15)
        for kind in ("travel_conflict", "travel_task"):
            assert (sections[kind]["available"], sections[kind]["unavailable_from"]) == (False, ["travel"])
        assert sections["messages_unread"]["available"] and sections["messages_unread"]["total"] >= 1
        page = seeded.browser("travel_desk").get(f"{seeded.base}/ui/work")
        assert page.status_code == 200 and "Could not be loaded just now (travel)" in page.text
        assert "A message from the patient" in page.text
    finally:
        seeded.start("travel")
    wait_for(lambda: all(s["available"] for s in seeded.inbox("travel_desk")["sections"]),
             message="travel answering again")


def test_signing_in_lands_on_my_work(seeded):
    browser = signed_in(seeded.base, "planner")   # asserts the sign-in answers with /ui/work
    page = browser.get(f"{seeded.base}/ui/work")
    assert page.status_code == 200 and "Journeys no surgery date fits" in page.text


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install -y chromium)")
def test_my_work_in_a_browser_at_desktop_and_phone_size(seeded):
    run = subprocess.run([sys.executable, "-m", "services.gateway.tests.work_browser", seeded.base,
                          "specialist", PASSWORD, str(SCREENSHOTS)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)
    image = f"/ui/journeys/{seeded.journeys['patient']}/images/{seeded.journeys['image']}"
    for size in ("desktop", "phone"):
        shown = seen[size]
        assert shown["url"].endswith("/ui/work") and shown["overflow"] <= 0, (size, shown)
        assert shown["nav"].startswith("My work (") and "Aoife Byrne" in shown["names"]
        assert image in shown["links"]
        assert (SCREENSHOTS / f"{size}-work.png").stat().st_size > 5000
