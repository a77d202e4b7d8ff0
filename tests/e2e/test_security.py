"""The whole system probed from outside: a schema-driven fuzz of the OpenAPI document, and the
role x route check generated from the route and page tables, pages and patient links included."""
import json
import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from services.gateway.adapters.pages import PAGES
from services.gateway.adapters.routing import load_routes
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.tests.pages import csrf_token

# Bounded so the suite keeps its time: a few cases per operation, each sign-in state.
EXAMPLES_PER_OPERATION = 4
FUZZ = settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def tokens(running):
    """A bearer header per staff role, signed in once each (within the per-address allowance)."""
    headers = {}
    for role, (username, password) in running.staff.items():
        answer = requests.post(f"{running.system.gateway_url}/api/auth/token",
                               json={"username": username, "password": password}, timeout=10)
        assert answer.status_code == 200, answer.text
        headers[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return headers


@pytest.fixture(scope="module")
def journey(running, tokens):
    """One real journey (a suitability enquiry through the public form)."""
    return running.driver(source_address="127.0.2.1").enquire(1).journey_id


def _fuzz(base: str, headers: dict) -> list[str]:
    spec = requests.get(f"{base}/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(spec)
    problems: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @FUZZ
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(base_url=base, headers=headers, timeout=15)
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as failure:   # collected, so one run reports every operation that fails
                problems.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{str(failure).splitlines()[0][:200]}")
        check()
    return problems


def test_fuzzing_every_operation_anonymously_gives_no_5xx_and_no_answer_off_its_schema(running, tokens):
    # (`tokens` first: the fuzz of the sign-in route spends this address's sign-in allowance)
    problems = _fuzz(running.system.gateway_url, {})
    assert problems == [], "\n".join(problems[:40])
    assert running.system.exited() == []


def test_fuzzing_every_operation_as_an_administrator_gives_no_5xx_and_no_answer_off_its_schema(
        running, tokens):
    problems = _fuzz(running.system.gateway_url, tokens["administrator"])
    assert problems == [], "\n".join(problems[:40])


def _sample(template: str, journey: str) -> str:
    samples = {"uuid": journey, "int": "999999", "string": "x", "path": "x"}   # no such user, task...
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: samples.get(m[1] or "string", "x"), template)


def test_every_staff_role_is_refused_every_route_and_page_it_is_not_given(running, tokens):
    base, checked = running.system.gateway_url, 0
    journey = running.driver(source_address="127.0.2.3").enquire(3).journey_id   # its own: it gets erased
    for route in load_routes():
        if route.public:
            continue
        path = "/api" + _sample(route.path, journey)
        for role in STAFF_ROLES:
            answer = requests.request(route.method, f"{base}{path}", headers=tokens[role], json={},
                                      timeout=15)
            if role in route.roles:   # let through (what follows is the use case's own answer)
                assert answer.status_code not in (401, 403) and answer.status_code < 500, \
                    (role, route.method, path, answer.status_code, answer.text[:120])
            else:
                assert answer.status_code == 403, (role, route.method, path, answer.status_code)
            checked += 1
    pages = [rule for rule in PAGES.iter_rules() if not rule.endpoint.public]
    for role in STAFF_ROLES:
        browser = requests.Session()
        browser.cookies.set("carepath_staff", tokens[role]["Authorization"].split()[1], path="/ui")
        token = csrf_token(browser, f"{base}/ui/login")
        for rule in pages:
            if rule.endpoint.name in ("logout", "request_erasure") and role in rule.endpoint.roles:
                continue   # would end this session / start an erasure: tested on their own
            method = "GET" if "GET" in rule.methods else "POST"
            answer = browser.request(method, f"{base}/ui" + _sample(rule.rule, journey),
                                     allow_redirects=False, data={"csrf_token": token}, timeout=15)
            if role in rule.endpoint.roles:   # let through: a page of no such image is the page's own 404
                assert answer.status_code not in (401, 403) and answer.status_code < 500, \
                    (role, rule.rule, answer.status_code)
            else:
                expected = (401,) if rule.endpoint.for_patients else (403,)
                assert answer.status_code in expected, (role, rule.rule, answer.status_code)
            checked += 1
    routes = sum(1 for route in load_routes() if not route.public)
    assert checked >= (routes + len(pages) - 2) * len(STAFF_ROLES)


def test_a_patient_opens_only_their_own_pages_and_routes(running, tokens, journey):
    base = running.system.gateway_url
    other = running.driver(source_address="127.0.2.2").enquire(2).journey_id
    link = requests.post(f"{base}/api/journeys/{journey}/patient-link", json={"valid_days": 1},
                         headers=tokens["intake_coordinator"], timeout=10).json()["token"]
    bearer = {"Authorization": f"Bearer {link}"}
    for route in load_routes():
        if route.public or not route.patient_param:
            continue
        answer = requests.request(route.method, f"{base}/api" + _sample(route.path, other), headers=bearer,
                                  json={}, timeout=15)
        assert answer.status_code == 403, (route.method, route.path, answer.status_code)
    patient = requests.Session()
    patient.get(f"{base}/ui/patient", params={"token": link}, timeout=10)
    mine = patient.get(f"{base}/ui/my-journey", timeout=10)
    assert mine.status_code == 200 and other not in mine.text
    for rule in PAGES.iter_rules():
        if rule.endpoint.public or rule.endpoint.for_patients:
            continue
        answer = patient.get(f"{base}/ui" + _sample(rule.rule, other), allow_redirects=False, timeout=10)
        assert answer.status_code in (303, 405) and "timeline" not in answer.text.lower(), rule.rule
    assert json.dumps(mine.headers.get("Content-Security-Policy", "")).count("default-src") == 1
    log = running.log_file.read_text(errors="replace")
    gateway_requests = [line for line in log.splitlines() if '"logger": "nameko.web.server"' in line]
    assert any("GET /ui/patient?" in line for line in gateway_requests)   # the request was logged ...
    assert link not in log and "token=" not in log                          # ... without the link
    assert not any("127.0.0.1" in line for line in gateway_requests)        # ... or the client's address
