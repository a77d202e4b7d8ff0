"""The journey page's actions over HTTP, on the gateway, enquiries and the journey (the real broker and
PostgreSQL, one system for the module; the later stages are told by facts published as their producers
would, and their services are away): each role is offered the forms of its own routes for the journey's
stage and no other, and the patient's details only if it may see who a patient is; a form goes through the
API's route (its role check, schema, use case and access log), so another role's post is a 403, the route's
validation message shows beside its field with what was typed kept, a service that is away says so and the
form can be sent again, and a form sent twice has one effect."""
import re
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import eventlet
import pytest
import requests
from sqlalchemy import select

from ops.journeys import JourneyDriver
from services.enquiries.service import EnquiriesService
from services.gateway import models as gateway_models
from services.gateway.domain.roles import NAME_READERS, STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.models import AccessLogEntry
from services.gateway.service import GatewayService
from services.gateway.tests.conftest import PASSWORD
from services.journey.service import JourneyService
from services.journey.tests.conftest import publish
from services.journey.tests.story import new_journey, story
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost, wait_for

SERVICES = {"journey": JourneyService, "enquiries": EnquiriesService, "gateway": GatewayService}
FORMS = re.compile(r'<section class="card action" id="([a-z-]+)"')
HIDDEN = re.compile(r'name="(csrf_token|idempotency_key|seen)" value="([^"]*)"')
INTAKE, PSYCHOLOGIST, SPECIALIST, PLANNER, FINANCE, TRAVEL, PHYSIO, ADMIN = STAFF_ROLES
ANY_PORT = "127.0.0.1:0"
SCREENERS = ["complete-step", "plan-appointment", "skip-step"]
OVERRIDERS = ["override-prescreen", *SCREENERS]


class System:
    def __init__(self, base: str, amqp_uri: str, gateway_db: Store, tmp):
        self.base, self.amqp_uri, self.gateway_db = base, amqp_uri, gateway_db
        self.tokens: dict[str, str] = {}
        staff = {role: (role, PASSWORD) for role in STAFF_ROLES}
        self.driver = JourneyDriver(base, staff, "http://127.0.0.1:9", tmp / "clock",
                                    source_address="127.0.1.1")

    def token(self, role: str) -> str:
        if role not in self.tokens:
            answer = requests.post(f"{self.base}/api/auth/token",
                                   json={"username": role, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            self.tokens[role] = answer.json()["access_token"]
        return self.tokens[role]

    def browser(self, role: str) -> requests.Session:
        session = requests.Session()
        session.cookies.set("carepath_staff", self.token(role), path="/ui")
        return session

    def page(self, role: str, journey: str, browser: requests.Session | None = None) -> requests.Response:
        shown = (browser or self.browser(role)).get(f"{self.base}/ui/journeys/{journey}")
        assert shown.status_code == 200, shown.text
        return shown

    def offered(self, role: str, journey: str) -> list[str]:
        return FORMS.findall(self.page(role, journey).text)

    def post(self, browser: requests.Session, journey: str, action: str, data: dict, **options):
        """Send the action's form of the page as a browser would: with the page's CSRF token, idempotency
        key and count of facts."""
        hidden = dict(HIDDEN.findall(self.page("", journey, browser).text))
        return browser.post(f"{self.base}/ui/journeys/{journey}/actions/{action}", data={**hidden, **data},
                            allow_redirects=False, **options)

    def timeline(self, journey: str) -> dict:
        answer = requests.get(f"{self.base}/api/journeys/{journey}/timeline",
                              headers={"Authorization": f"Bearer {self.token(ADMIN)}"})
        return answer.json() if answer.ok else {}

    def wait_fact(self, journey: str, summary: str) -> dict:
        return wait_for(lambda: (found := self.timeline(journey)) and summary in
                        [e["summary"] for e in found["entries"]] and found, timeout=20,
                        message=f"{summary!r} on the timeline of {journey}")

    def logged(self, journey: str, **where) -> list[AccessLogEntry]:
        with self.gateway_db.session() as session:
            query = select(AccessLogEntry).where(AccessLogEntry.journey_id == journey,
                                                 *(getattr(AccessLogEntry, k) == v for k, v in where.items()))
            rows = list(session.scalars(query.order_by(AccessLogEntry.id)))
            session.expunge_all()
            return rows


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        urls = {name: stack.enter_context(temp_pg_database()) for name in SERVICES}
        for name, url in urls.items():
            upgrade(name, url)
        gateway_db = Store(urls["gateway"], gateway_models.kernel)
        stack.callback(gateway_db.dispose)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, urls)
        config["ENQUIRIES"] = dict(config["ENQUIRIES"], rate_limit_requests=1000)
        cluster = Cluster(amqp_uri)
        stack.callback(cluster.stop_all)
        for name, service in SERVICES.items():
            cluster.start(service, config if name == "gateway" else dict(config, WEB_SERVER_ADDRESS=ANY_PORT))
        yield System(web_url(config), amqp_uri, gateway_db, tmp_path_factory.mktemp("journey-actions"))


def _told(system: System, last_fact: str) -> str:
    """A journey told by the facts of the sample story up to `last_fact`, as their producers announce them."""
    journey, start = new_journey(), datetime.now(UTC) - timedelta(days=2)
    steps = story(journey, start)
    until = next(i for i, s in enumerate(steps) if s.event.type == last_fact) + 1
    publish(system.amqp_uri, *(s.event for s in steps[:until]))
    wait_for(lambda: system.timeline(journey).get("event_count") == until, message=f"the facts of {journey}")
    return journey


@pytest.fixture(scope="module")
def smoker(system):
    """A real enquiry the pre-screen put on hold: the patient still smokes."""
    patient = system.driver.enquire(1, smoking_status="current")
    wait_for(lambda: system.timeline(patient.journey_id).get("stage") == "on_hold")
    return patient


def test_each_role_is_offered_the_forms_of_its_own_routes_for_the_stage_and_no_other(system, smoker):
    screening = system.driver.enquire(3).journey_id          # passed: the invitation is next
    before_surgery = _told(system, "invoice_paid")          # surgery planned, waiting for the pre-op check
    in_rehabilitation = _told(system, "ward_discharged")    # at the hotel, building up the load
    on_hold = ["override-prescreen", "rescreen"]
    wait_for(lambda: system.timeline(screening).get("stage") == "screening")
    expected = {
        smoker.journey_id: {INTAKE: on_hold, SPECIALIST: on_hold, ADMIN: on_hold},
        screening: {INTAKE: OVERRIDERS, PSYCHOLOGIST: SCREENERS, SPECIALIST: OVERRIDERS, ADMIN: OVERRIDERS},
        before_surgery: {SPECIALIST: ["reschedule-surgery", "record-preop-check", "cancel-surgery"],
                         PLANNER: ["reschedule-surgery", "cancel-surgery"], FINANCE: ["record-bank-transfer"],
                         TRAVEL: ["enter-phone-booking", "move-return"]},
        in_rehabilitation: {PHYSIO: ["record-session", "record-rehab-day", "record-missed-session"],
                            PSYCHOLOGIST: ["record-psychologist-session"], FINANCE: ["record-bank-transfer"],
                            TRAVEL: ["enter-phone-booking", "move-return"]},
    }
    for journey, by_role in expected.items():
        for role in STAFF_ROLES:
            assert system.offered(role, journey) == by_role.get(role, []), (journey, role)
    steps = re.search(r'<select id="complete-step-step" name="step"[^>]*>(.*?)</select>',
                      system.page(INTAKE, screening).text, re.S).group(1)
    assert re.findall(r'<option value="(\w+)"', steps) == ["outpatient_invitation"]   # the one due
    # travel and payments are not running here: what needs their lists is said, not offered
    desk = re.search(r'id="actions-away">(.*?)</ul>', system.page(TRAVEL, before_surgery).text)
    assert desk and "Resolve a travel conflict or task: A service needed" in desk.group(1)


def test_only_the_roles_that_may_see_who_a_patient_is_see_the_details_and_each_view_is_logged(system, smoker):
    journey = smoker.journey_id
    name = system.driver.enquiry(smoker)["name"]
    for role in STAFF_ROLES:
        page = system.page(role, journey).text
        assert (name in page and 'id="patient"' in page) == (role in NAME_READERS), role
    assert {row.role for row in system.logged(journey, action="ui_timeline")} == set(STAFF_ROLES)
    assert {row.role for row in system.logged(journey, action="enquiry_detail")} == NAME_READERS


def test_another_roles_post_is_refused_and_logged_and_changes_nothing(system, smoker):
    journey = smoker.journey_id
    for role, action, data in ((FINANCE, "override-prescreen", {"outcome": "passed", "reason": "my own say"}),
                               (PLANNER, "decide", {"decision": "accepted"}),
                               (PHYSIO, "rescreen", {"smoking_status": "never"})):
        refused = system.post(system.browser(role), journey, action, data)
        assert refused.status_code == 403 and "may not" in refused.text, (role, refused.text[-400:])
        assert system.logged(journey, action="ui_journey_action", outcome="denied", role=role)
    assert system.timeline(journey)["stage"] == "on_hold"


def test_the_routes_validation_message_shows_beside_its_field_and_what_was_typed_is_kept(system, smoker):
    intake = system.browser(INTAKE)
    typed = {"outcome": "passed", "reason": "ok"}
    refused = system.post(intake, smoker.journey_id, "override-prescreen", typed)
    assert refused.status_code == 422
    field = "override-prescreen-reason"
    beside = re.search(rf'id="{field}"[^>]*aria-describedby="{field}-error">ok</textarea>\s*'
                       rf'<span class="field-error" id="{field}-error">([^<]+)<', refused.text)
    assert beside and "Length must be between 3 and 2000" in beside.group(1), refused.text[-3000:]
    assert re.search(r'<option value="passed" selected>', refused.text)
    same = system.post(intake, smoker.journey_id, "override-prescreen",
                       {"outcome": "on_hold", "reason": "again"})
    assert same.status_code == 409 and "The pre-screen outcome is already on_hold." in same.text


def test_intake_overrides_the_prescreen_and_the_specialist_accepts_through_their_forms(system, smoker):
    journey = smoker.journey_id
    done = system.post(system.browser(INTAKE), journey, "override-prescreen",
                       {"outcome": "passed", "reason": "Stopped smoking in March; the GP confirms it"})
    assert done.status_code == 303 and done.headers["Location"].startswith(
        f"/ui/journeys/{journey}?done=override-prescreen&seen="), done.text
    system.wait_fact(journey, "Pre-screen overridden: passed (staff_override)")
    assert system.logged(journey, action="override_prescreen", outcome="allowed", role=INTAKE)
    confirmed = system.browser(INTAKE).get(f"{system.base}{done.headers['Location']}").text
    assert 'id="done"' in confirmed and "Done: override the pre-screen outcome." in confirmed
    assert 'http-equiv="refresh"' not in confirmed   # the new fact is there: nothing to look for again
    waits = f"/ui/journeys/{journey}?done=override-prescreen&seen=99"   # before the fact has arrived
    again = system.browser(INTAKE).get(system.base + waits).text
    assert f'url={waits.replace("&", "&amp;")}&amp;tries=1"' in again
    system.driver.screen(smoker)
    wait_for(lambda: "screening_decision" in system.timeline(journey)["waiting_for"], timeout=20)
    assert "decide" in system.offered(SPECIALIST, journey)
    decided = system.post(system.browser(SPECIALIST), journey, "decide", {"decision": "accepted"})
    assert decided.status_code == 303
    system.wait_fact(journey, "Accepted for treatment (transfemoral, left)")


def test_a_form_whose_service_is_away_says_so_keeps_what_was_typed_and_can_be_sent_again(system):
    journey = _told(system, "invoice_issued")   # payments is not running in this system
    finance = system.browser(FINANCE)
    page = system.page(FINANCE, journey, finance).text
    hidden = dict(HIDDEN.findall(page))
    form = {**hidden, "reference": "NL-TRANSFER-0001", "amount_cents": "20.000,00",
            "received_on": "2031-01-05"}
    url = f"{system.base}/ui/journeys/{journey}/actions/record-bank-transfer"
    for _attempt in range(2):   # a 5xx answer is not kept: the same form, sent again, is tried again
        away = finance.post(url, data=form, allow_redirects=False)
        assert away.status_code == 503 and "Idempotent-Replayed" not in away.headers
        assert "not running" in away.text and 'value="NL-TRANSFER-0001"' in away.text
        assert 'value="20.000,00"' in away.text


def test_a_form_sent_twice_at_once_has_one_effect_and_both_get_the_same_answer(system):
    patient = system.driver.enquire(2)
    journey = patient.journey_id
    wait_for(lambda: system.timeline(journey).get("stage") == "screening")
    psychologist = system.browser(PSYCHOLOGIST)
    hidden = dict(HIDDEN.findall(system.page(PSYCHOLOGIST, journey, psychologist).text))
    form = {**hidden, "step": "psychologist_call", "scheduled_at": "2031-03-04T10:30", "channel": "phone"}
    url = f"{system.base}/ui/journeys/{journey}/actions/plan-appointment"
    clicks = [eventlet.spawn(psychologist.post, url, data=form, allow_redirects=False) for _ in range(2)]
    answers = [click.wait() for click in clicks]
    assert {(a.status_code, a.headers.get("Location")) for a in answers} == {
        (303, f"/ui/journeys/{journey}?done=plan-appointment&seen={hidden['seen']}")}
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    planned = system.wait_fact(journey, "Screening appointment planned: psychologist (telephone), "
                                        "2031-03-04T10:30+01:00")
    appointments = system.driver.enquiry(patient)["appointments"]
    assert [(a["step"], a["scheduled_at"][:16]) for a in appointments] == [
        ("psychologist_call", "2031-03-04T09:30")]   # 10:30 in Amsterdam
    assert [e["type"] for e in planned["entries"]].count("screening_appointment_planned") == 1
