"""Probing the gateway from outside, as an attacker and as a careless client would (security findings)."""
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests
from argon2 import PasswordHasher
from sqlalchemy import select

from services.gateway.models import AccessLogEntry, StaffUser
from services.gateway.tests.pages import csrf_token, patient_link, post_form, signed_in
from services.journey.tests.conftest import PASSWORD, login, publish
from services.journey.tests.story import new_journey, story
from shared.testing.infra import wait_for


def _journey(base, amqp_uri) -> str:
    journey = new_journey()
    publish(amqp_uri, *(s.event for s in story(journey, datetime.now(UTC) - timedelta(days=2))[:3]))
    staff = login(base, "planner")
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=staff).ok)
    return journey


def _patient_session(base, journey) -> requests.Session:
    browser = requests.Session()
    token = patient_link(base, login(base, "intake_coordinator"), journey)
    opened = browser.get(f"{base}/ui/patient", params={"token": token}, allow_redirects=False)
    assert opened.status_code == 303 and opened.headers["Location"] == "/p/journey"
    return browser


def _denied(store, action: str) -> list[AccessLogEntry]:
    with store.session() as session:
        return list(session.scalars(select(AccessLogEntry).where(AccessLogEntry.action == action,
                                                                 AccessLogEntry.outcome == "denied")))


def test_a_patients_session_or_link_in_the_staff_cookie_opens_no_staff_page(stack, amqp_uri, gateway_db):
    base, _ = stack
    mine, other = _journey(base, amqp_uri), _journey(base, amqp_uri)
    patient = _patient_session(base, mine)
    session_token = patient.cookies.get("carepath_patient")
    link_token = patient_link(base, login(base, "intake_coordinator"), mine)
    for token in (session_token, link_token):
        for page in ("/ui/board", f"/ui/journeys/{other}", f"/ui/journeys/{mine}"):
            answer = requests.get(f"{base}{page}", cookies={"carepath_staff": token}, allow_redirects=False)
            assert answer.status_code == 303 and answer.headers["Location"].startswith("/ui/login"), page
            assert "timeline" not in answer.text.lower() and "Screening" not in answer.text
    assert len(_denied(gateway_db, "ui_board")) >= 2
    assert {e.status for e in _denied(gateway_db, "ui_journey")} == {401}


def test_a_patients_link_shows_only_their_own_journey(stack, amqp_uri):
    base, _ = stack
    mine, other = _journey(base, amqp_uri), _journey(base, amqp_uri)
    patient = _patient_session(base, mine)
    assert patient.get(f"{base}/ui/my-journey").status_code == 200
    link = {"Authorization": f"Bearer {patient_link(base, login(base, 'specialist'), mine)}"}
    assert requests.get(f"{base}/api/journeys/{other}/my-journey", headers=link).status_code == 403
    assert requests.get(f"{base}/api/journeys/{mine}/my-journey", headers=link).status_code == 200


def test_a_disabled_users_token_and_page_session_stop_working_at_once(stack, gateway_db):
    base, _ = stack
    admin = login(base, "administrator")
    new_user = {"username": f"temp{uuid.uuid4().hex[:6]}", "password": PASSWORD, "role": "finance"}
    created = requests.post(f"{base}/api/users", headers=admin, json=new_user)
    assert created.status_code == 201, created.text
    user = created.json()
    token = requests.post(f"{base}/api/auth/token", json={"username": user["username"], "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    browser = signed_in(base, user["username"])
    assert requests.get(f"{base}/api/me", headers=headers).status_code == 200
    assert requests.post(f"{base}/api/users/{user['id']}/disable", headers=admin).json()["active"] is False
    assert requests.get(f"{base}/api/me", headers=headers).status_code == 401
    assert browser.get(f"{base}/ui/board", allow_redirects=False).status_code == 303
    refused = requests.post(f"{base}/api/auth/token", json={"username": user["username"],
                                                            "password": PASSWORD})
    assert refused.status_code == 401 and refused.json()["message"] == "Wrong username or password."
    requests.post(f"{base}/api/users/{user['id']}/enable", headers=admin)
    assert requests.get(f"{base}/api/me", headers=headers).status_code == 401   # a new sign-in is needed


def test_a_role_change_or_a_password_change_ends_the_users_tokens(stack):
    base, _ = stack
    admin = login(base, "administrator")
    name = f"temp{uuid.uuid4().hex[:6]}"
    user = requests.post(f"{base}/api/users", headers=admin,
                         json={"username": name, "password": PASSWORD, "role": "planner"}).json()
    first = login(base, name)
    requests.put(f"{base}/api/users/{user['id']}/role", headers=admin, json={"role": "finance"})
    assert requests.get(f"{base}/api/me", headers=first).status_code == 401
    second = login(base, name)
    assert requests.get(f"{base}/api/me", headers=second).json()["role"] == "finance"
    changed = requests.post(f"{base}/api/me/password", headers=second,
                            json={"current_password": PASSWORD, "new_password": PASSWORD + " changed"})
    assert changed.status_code == 204
    assert requests.get(f"{base}/api/me", headers=second).status_code == 401


def test_a_withdrawn_patient_link_ends_its_api_access_and_its_page_session(stack, amqp_uri):
    base, _ = stack
    journey = _journey(base, amqp_uri)
    staff = login(base, "intake_coordinator")
    token = patient_link(base, staff, journey)
    browser = requests.Session()
    browser.get(f"{base}/ui/patient", params={"token": token})
    assert browser.get(f"{base}/ui/my-journey").status_code == 200
    links = requests.get(f"{base}/api/journeys/{journey}/patient-links", headers=staff).json()
    assert links and links[0]["issued_by"].startswith("staff:")
    revoked = requests.delete(f"{base}/api/journeys/{journey}/patient-links", headers=staff)
    assert revoked.json()["revoked"] >= 1
    assert requests.get(f"{base}/api/journeys/{journey}/my-journey",
                        headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert browser.get(f"{base}/ui/my-journey").status_code == 401
    fresh = patient_link(base, staff, journey)
    assert requests.get(f"{base}/api/journeys/{journey}/my-journey",
                        headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_no_patient_link_for_a_journey_that_does_not_exist(stack):
    base, _ = stack
    answer = requests.post(f"{base}/api/journeys/{uuid.uuid4()}/patient-link", json={},
                           headers=login(base, "intake_coordinator"))
    assert answer.status_code == 404


def test_a_questionnaire_link_opens_nothing_but_the_questionnaire(stack, amqp_uri):
    base, config = stack
    from services.gateway.handlers.patient_links import issue_link
    from services.gateway.service import GatewayService  # noqa: F401
    journey = _journey(base, amqp_uri)

    class _Uow:   # the handler's unit of work, on the gateway's own database
        def __init__(self, store):
            self.store, self.session = store, None

        def __enter__(self):
            self._cm = self.store.session()
            self.session = self._cm.__enter__()
            return self

        def __exit__(self, *exc):
            return self._cm.__exit__(*exc)
    from services.gateway import models
    from shared.db import Store
    store = Store(config["DATABASES"]["gateway"], models.kernel)
    try:
        link = issue_link(_Uow(store), config["AUTH"]["token_secret"], journey, "staff:1", 600,
                          scope="questionnaire")["token"]
    finally:
        store.dispose()
    headers = {"Authorization": f"Bearer {link}"}
    assert requests.get(f"{base}/api/journeys/{journey}/my-journey", headers=headers).status_code == 403
    browser = requests.Session()
    browser.get(f"{base}/ui/patient", params={"token": link})
    assert browser.get(f"{base}/ui/my-journey").status_code == 403


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer_and_the_same_password_check(
        stack, monkeypatch):
    base, _ = stack
    checked = []   # the gateway runs in this process: each argon2 verification it does, by its cost
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, hash_, password: checked.append(
        hash_.split("$")[3]) or real(self, hash_, password))

    def attempt(username):
        return requests.post(f"{base}/api/auth/token", json={"username": username, "password": "wrong"})
    answers = [attempt("psychologist") for _ in range(2)] + [attempt(f"nobody{n}") for n in range(2)]
    assert {(a.status_code, a.json()["message"]) for a in answers} == {(401, "Wrong username or password.")}
    # Not a clock (too noisy to tell anything): the same work, one verification at one cost each time.
    assert len(checked) == 4 and len(set(checked)) == 1


def test_failed_sign_ins_lock_the_account_with_a_growing_wait_on_the_api_and_the_page_alike(stack):
    base, _ = stack
    name = f"guess{uuid.uuid4().hex[:6]}"   # an unknown account is throttled just the same
    answers = [requests.post(f"{base}/api/auth/token", json={"username": name, "password": "x"}).status_code
               for _ in range(7)]
    assert answers == [401] * 6 + [429]   # five free failures; the sixth locks the account for a while
    browser = requests.Session()
    page = browser.post(f"{base}/ui/login", data={"username": name, "password": "x",
                                                  "csrf_token": csrf_token(browser, f"{base}/ui/login")})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) >= 1


def test_refusals_on_pages_are_access_logged(stack, amqp_uri, gateway_db):
    base, _ = stack
    journey = _journey(base, amqp_uri)
    planner = signed_in(base, "planner")
    assert planner.get(f"{base}/ui/journeys/{journey}/access-log").status_code == 403
    assert requests.get(f"{base}/ui/journeys/{journey}", allow_redirects=False).status_code == 303
    with gateway_db.session() as session:
        denied = {(e.action, e.role, e.status) for e in session.scalars(select(AccessLogEntry).where(
            AccessLogEntry.journey_id == journey, AccessLogEntry.outcome == "denied"))}
    assert ("ui_journey_access_log", "planner", 403) in denied
    assert ("ui_journey", "anonymous", 401) in denied


def test_pages_send_security_headers_and_api_answers_are_never_cached(stack):
    base, _ = stack
    page = requests.get(f"{base}/ui/login")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Frame-Options"] == "DENY"
    api = requests.get(f"{base}/api/journeys", headers=login(base, "planner"))
    assert api.headers["Cache-Control"] == "no-store"


def test_a_form_post_without_our_csrf_token_or_from_another_site_is_refused(stack, amqp_uri):
    base, _ = stack
    journey = _journey(base, amqp_uri)
    admin = signed_in(base, "administrator")
    forged = admin.post(f"{base}/ui/journeys/{journey}/erasure", allow_redirects=False)
    assert forged.status_code == 403
    token = csrf_token(admin, f"{base}/ui/journeys/{journey}")
    cross = admin.post(f"{base}/ui/journeys/{journey}/erasure", data={"csrf_token": token},
                       headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert cross.status_code == 403
    no_token = requests.post(f"{base}/ui/login", data={"username": "planner", "password": PASSWORD})
    assert no_token.status_code == 403
    ours = post_form(admin, base, f"/ui/journeys/{journey}", f"/ui/journeys/{journey}/erasure",
                     allow_redirects=False)
    assert ours.status_code == 303


@pytest.mark.parametrize("path", ["/api/auth/token", "/api/enquiries/suitability", "/api/enquiries/brochure"])
def test_anyone_sending_json_nested_20000_deep_gets_a_400(stack, path):
    base, _ = stack
    answer = requests.post(f"{base}{path}", data=b"[" * 20000 + b"]" * 20000,
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "nested" in answer.json()["message"]


def test_a_lone_surrogate_or_a_nul_byte_is_refused_at_sign_in_and_on_the_public_forms(stack):
    base, _ = stack
    for body in (b'{"username": "\\ud800", "password": "x"}', b'{"username": "a\\u0000", "password": "x"}'):
        answer = requests.post(f"{base}/api/auth/token", data=body,
                               headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, answer.text
    form = requests.post(f"{base}/api/enquiries/brochure", data=b'{"name": "\\udfff"}',
                         headers={"Content-Type": "application/json"})
    assert form.status_code == 400


@pytest.mark.parametrize("method, path, role, body", [
    ("GET", "/api/access-log?offset=1e20", "administrator", None),
    ("GET", "/api/enquiries?page=1e20", "intake_coordinator", None),
    ("GET", "/api/surgery/calendar?start=9999-12-31&end=9999-12-31", "planner", None),
    ("POST", f"/api/journeys/{uuid.uuid4()}/bank-transfers", "finance",
     {"amount_cents": 2**64, "reference": "x", "received_on": "2026-12-01"}),
    ("POST", f"/api/journeys/{uuid.uuid4()}/patient-link", "intake_coordinator", {"valid_days": "12"}),
    ("POST", f"/api/journeys/{uuid.uuid4()}/patient-link", "intake_coordinator", {"valid_days": 1.5}),
])
def test_values_past_any_real_one_are_a_422_not_a_500(stack, method, path, role, body):
    base, _ = stack
    answer = requests.request(method, f"{base}{path}", json=body, headers=login(base, role))
    assert answer.status_code == 422, answer.text


def test_consent_to_health_data_must_be_the_json_value_true(stack):
    base, _ = stack
    answer = requests.post(f"{base}/api/enquiries/brochure", json={"health_data_consent": 1})
    assert answer.status_code == 422


def test_no_staff_page_or_route_answers_a_patient_and_every_refusal_is_logged(stack, amqp_uri, gateway_db):
    """The role x route check, generated from the route and page tables, for a patient's link."""
    from services.gateway.adapters.pages import PAGES
    from services.gateway.adapters.routing import load_routes
    base, _ = stack
    mine = _journey(base, amqp_uri)
    link = {"Authorization": f"Bearer {patient_link(base, login(base, 'intake_coordinator'), mine)}"}
    for route in load_routes():
        if route.public or "patient" in route.roles:
            continue
        path = "/api" + _sample_path(route.path, mine)
        answer = requests.request(route.method, f"{base}{path}", headers=link, json={})
        assert answer.status_code == 403, (route.method, path, answer.status_code)
    session = _patient_session(base, mine)
    for rule in PAGES.iter_rules():
        if rule.endpoint.public or rule.endpoint.for_patients:
            continue
        path = "/ui" + _sample_path(rule.rule, mine)
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        answer = session.request(method, f"{base}{path}", allow_redirects=False,
                                 data={"csrf_token": csrf_token(session, f"{base}/ui/login")})
        assert answer.status_code in (303, 401), (path, answer.status_code)
        assert answer.status_code != 303 or answer.headers["Location"].startswith("/ui/login")
    with gateway_db.session() as db:
        users = db.scalar(select(StaffUser).limit(1))
    assert users is not None


def _sample_path(template: str, journey: str) -> str:
    """A concrete path for a route's template: the journey for journey ids, 1 or x for the rest."""
    samples = {"uuid": journey, "int": "1", "string": "x", "path": "x"}
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: samples.get(m[1] or "string", "x"), template)
