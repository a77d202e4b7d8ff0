"""The portal's safeguards over HTTP, on the portal test system: every form post needs our CSRF token and our
origin; the cookies are HttpOnly, SameSite and, behind TLS, Secure; every page sends a CSP that allows no
script; a session opens its own patient's pages only, whatever the address names; and every page view is
in the access log as the patient's own access."""
import re
import uuid

import pytest
import requests
from sqlalchemy import select

from services.gateway.adapters.portal import MENU
from services.gateway.adapters.ui import PAGES
from services.gateway.models import AccessLogEntry
from services.gateway.tests.portal_system import CSRF, KEY, running_portal

TLS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def portal():
    with running_portal() as running:
        yield running


def _set_cookies(answer) -> dict[str, str]:
    return {line.split("=", 1)[0]: line for line in answer.raw.headers.getlist("Set-Cookie")}


def _entries(portal, journey: str) -> list[AccessLogEntry]:
    with portal.gateway_db.session() as session:
        return list(session.scalars(select(AccessLogEntry).where(AccessLogEntry.journey_id == journey)))


def _sample(rule: str) -> str:
    return re.sub(r"<[^>]+>", str(uuid.uuid4()), rule)


def test_every_portal_form_post_is_refused_without_our_csrf_token_or_from_another_site(portal):
    patient = portal.patient(portal.home_patient())
    html = patient.get(f"{portal.base}/p/problems").text
    form = {"csrf_token": CSRF.search(html).group(1), "idempotency_key": KEY.search(html).group(1)}
    posts = [rule.rule for rule in PAGES.iter_rules()
             if rule.rule.startswith("/p/") and "POST" in rule.methods]
    assert len(posts) >= 6
    for path in map(_sample, posts):
        without = patient.post(f"{portal.base}{path}", data={"idempotency_key": form["idempotency_key"]},
                               allow_redirects=False)
        assert without.status_code == 403, path
        crossed = patient.post(f"{portal.base}{path}", data=form, headers={"Origin": "https://evil.example"},
                               allow_redirects=False)
        assert crossed.status_code == 403, path


def test_the_portals_cookies_are_http_only_same_site_and_secure_behind_tls(portal):
    journey = portal.home_patient()
    browser = requests.Session()
    opened = browser.get(f"{portal.base}/ui/patient", params={"token": portal.link(journey)}, headers=TLS,
                         allow_redirects=False)
    session = _set_cookies(opened)["carepath_patient"]
    for flag in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/p"):
        assert flag in session, session
    held = {"carepath_patient": browser.cookies.get("carepath_patient")}   # requests sends it to https only
    page = requests.get(f"{portal.base}/p/journey", params={"lang": "nl"}, headers=TLS, cookies=held)
    assert page.status_code == 200
    cookies = _set_cookies(page)
    assert {"carepath_csrf", "carepath_language"} <= set(cookies)
    assert all("HttpOnly" in c and "SameSite=" in c and "Secure" in c for c in cookies.values()), cookies
    plain = _set_cookies(requests.get(f"{portal.base}/ui/patient", params={"token": portal.link(journey)},
                                      allow_redirects=False))
    assert "Secure" not in plain["carepath_patient"] and "HttpOnly" in plain["carepath_patient"]


def test_every_portal_page_sends_a_content_security_policy_that_allows_no_script(portal):
    patient = portal.patient(portal.home_patient())
    anonymous = requests.Session()
    answers = [patient.get(f"{portal.base}{item.path}") for item in MENU]
    answers += [anonymous.get(f"{portal.base}/p/journey"), anonymous.get(f"{portal.base}/p/new-link")]
    for answer in answers:
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, answer.url
        assert "script-src" not in policy and "<script" not in answer.text, answer.url


def test_a_session_opens_its_own_patients_pages_only_whatever_the_address_names(portal):
    mine, other = portal.home_patient(), portal.home_patient()
    patient, someone = portal.patient(mine), portal.patient(other)
    their_page = someone.get(f"{portal.base}/p/checkups").text
    their_checkup = their_page.split('action="/p/checkups/')[1].split("/")[0]
    my_page = patient.get(f"{portal.base}/p/checkups").text
    assert their_checkup not in my_page
    assert patient.get(f"{portal.base}/p/checkups/{their_checkup}.ics").status_code == 404
    form = {"csrf_token": CSRF.search(my_page).group(1), "idempotency_key": KEY.search(my_page).group(1),
            "reason": "travelling"}
    moved = patient.post(f"{portal.base}/p/checkups/{their_checkup}/move", data=form, allow_redirects=False)
    assert moved.status_code == 404
    assert requests.get(f"{portal.base}/api/followup/move-requests", params={"journey_id": other},
                        headers=portal.staff("specialist")).json() == []
    before = len(_entries(portal, other))
    for item in MENU:
        patient.get(f"{portal.base}{item.path}", params={"journey_id": other, "journey": other})
    assert len(_entries(portal, other)) == before                     # nothing of theirs was read
    assert {e.actor for e in _entries(portal, mine) if e.action.startswith("portal_")} == {f"patient:{mine}"}


def test_every_portal_page_view_is_in_the_access_log_as_the_patients_own_access(portal):
    journey = portal.home_patient()
    patient = portal.patient(journey)
    shown = [item.path for item in MENU if patient.get(f"{portal.base}{item.path}").status_code == 200]
    assert len(shown) >= len(MENU) - 1                                 # the questionnaire is closed for them
    logged = {(e.path, e.role, e.outcome, e.actor) for e in _entries(portal, journey)
              if e.action.startswith("portal_")}
    for path in shown:
        assert (path, "patient", "allowed", f"patient:{journey}") in logged, path
    assert all(e.credential for e in _entries(portal, journey) if e.action.startswith("portal_"))
