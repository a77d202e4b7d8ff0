"""The server-rendered pages without a browser: sign-in, the patient's link, access log, erasure form."""
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select

from services.gateway.models import AccessLogEntry
from services.gateway.tests.pages import csrf_token, patient_link, post_form
from services.gateway.tests.pages import signed_in as _signed_in
from services.journey.tests.conftest import login, publish
from services.journey.tests.story import new_journey, story
from shared.testing.infra import wait_for


def _journey(base, amqp_uri, count):
    journey = new_journey()
    publish(amqp_uri, *(s.event for s in story(journey, datetime.now(UTC) - timedelta(days=2))[:count]))
    staff = login(base, "planner")
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=staff).json()
             .get("event_count") == count)
    return journey


def test_an_unknown_visitor_is_sent_to_sign_in_and_a_wrong_password_is_refused(stack):
    base, _ = stack
    first = requests.get(f"{base}/ui/board", allow_redirects=False)
    assert first.status_code == 303 and first.headers["Location"] == "/ui/login?next=/ui/board"
    browser = requests.Session()
    wrong = browser.post(f"{base}/ui/login", data={"username": "planner", "password": "nope",
                                                   "csrf_token": csrf_token(browser, f"{base}/ui/login")})
    assert wrong.status_code == 401 and "Wrong username or password." in wrong.text


def test_a_timeline_page_view_is_access_logged_and_the_access_log_page_is_for_administrators(
        stack, amqp_uri, gateway_db):
    base, _ = stack
    journey = _journey(base, amqp_uri, 3)
    planner = _signed_in(base, "planner")
    page = planner.get(f"{base}/ui/journeys/{journey}")
    assert page.status_code == 200 and "Screening step outpatient invitation completed" in page.text
    with gateway_db.session() as session:
        actions = set(session.scalars(select(AccessLogEntry.action)
                                      .where(AccessLogEntry.journey_id == journey)))
    assert "ui_timeline" in actions
    assert planner.get(f"{base}/ui/journeys/{journey}/access-log").status_code == 403
    audit = _signed_in(base, "administrator").get(f"{base}/ui/journeys/{journey}/access-log")
    assert audit.status_code == 200 and "ui timeline" in audit.text and "planner" in audit.text


def test_the_patients_link_opens_their_page_in_plain_words(stack, amqp_uri):
    base, _ = stack
    journey = _journey(base, amqp_uri, 10)
    token = patient_link(base, login(base, "intake_coordinator"), journey)
    patient = requests.Session()
    opened = patient.get(f"{base}/ui/patient", params={"token": token}, allow_redirects=False)
    assert opened.status_code == 303 and opened.headers["Location"] == "/p/journey"
    page = patient.get(f"{base}/ui/my-journey")
    assert page.status_code == 200
    assert "Please pay the deposit (half of the price)" in page.text and "Deposit due" in page.text
    assert journey not in page.text and "invoice_issued" not in page.text
    assert "Who looked at my file" in page.text
    assert patient.get(f"{base}/ui/my-journey/access-log").status_code == 200
    assert requests.get(f"{base}/ui/my-journey").status_code == 401


def test_an_administrator_requests_an_erasure_from_the_timeline_page(stack, amqp_uri):
    base, _ = stack
    journey = _journey(base, amqp_uri, 2)
    admin = _signed_in(base, "administrator")
    planner = _signed_in(base, "planner")
    assert post_form(planner, base, "/ui/board", f"/ui/journeys/{journey}/erasure").status_code == 403
    asked = post_form(admin, base, f"/ui/journeys/{journey}", f"/ui/journeys/{journey}/erasure",
                      allow_redirects=False)
    assert asked.status_code == 303 and asked.headers["Location"] == f"/ui/journeys/{journey}"
    page = wait_for(lambda: _answered_by_journey(admin.get(f"{base}/ui/journeys/{journey}")))
    assert "pending" in page.text  # the other services have not answered yet


def _answered_by_journey(page):
    return page if page.ok and "journey: erased" in page.text else None
