"""The patient portal over HTTP: a patient's link opens their own pages only, in their language,
each view in the access log as their own; dates as calendar files; asking to move a check-up."""
import pytest
import requests
from icalendar import Calendar
from sqlalchemy import select

from services.gateway.models import AccessLogEntry
from services.gateway.tests.portal_system import CSRF, KEY, running_portal

PAGES = ("/p/journey", "/p/stay", "/p/checkups", "/p/access-log", "/p/consent")


@pytest.fixture(scope="module")
def portal():
    with running_portal() as running:
        yield running


def _logged(portal, journey, *columns) -> list:
    with portal.gateway_db.session() as session:
        return list(session.execute(select(*columns).where(AccessLogEntry.journey_id == journey)))


def _form(browser, base, page):
    html = browser.get(f"{base}{page}").text
    return {"csrf_token": CSRF.search(html).group(1), "idempotency_key": KEY.search(html).group(1)}


def test_the_link_opens_my_journey_in_my_language_and_each_page_view_is_logged_as_mine(portal):
    journey = portal.home_patient(language="nl")
    patient = portal.patient(journey)
    page = patient.get(f"{portal.base}/p/journey")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert "Controles thuis" in page.text                        # "Check-ups at home", the journey's words
    assert "Betaal alstublieft" in page.text                     # what the clinic waits for from me
    assert journey not in page.text
    for path in PAGES[1:]:
        assert patient.get(f"{portal.base}{path}").status_code == 200, path
    assert patient.get(f"{portal.base}/p/stay").text.count("KL4T2Q") == 1
    logged = _logged(portal, journey, AccessLogEntry.action, AccessLogEntry.role, AccessLogEntry.outcome)
    assert {(f"portal_{name}", "patient", "allowed")
            for name in ("my_journey", "my_stay", "my_checkups", "who_looked")} <= set(logged)


def test_the_language_switch_is_kept_and_every_page_has_the_menu_and_labels(portal):
    patient = portal.patient(portal.home_patient(language="nl"))
    english = patient.get(f"{portal.base}/p/checkups", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Your next check-up" in english.text
    assert '<html lang="en">' in patient.get(f"{portal.base}/p/journey").text     # the choice is kept
    german = patient.get(f"{portal.base}/p/journey", params={"lang": "de"}).text
    assert '<html lang="de">' in german and 'aria-current="true">Deutsch' in german
    for select_id in ("reason-", "preferred-"):
        assert f'<label for="{select_id}' in english.text


def test_a_session_reads_only_its_own_journey_and_without_one_the_portal_refuses(portal):
    mine, other = portal.home_patient(), portal.home_patient()
    patient = portal.patient(mine)
    assert other not in patient.get(f"{portal.base}/p/checkups").text
    anonymous = requests.get(f"{portal.base}/p/journey")
    assert anonymous.status_code == 401 and "expired" in anonymous.text
    staff = requests.Session()
    staff.cookies.set("carepath_staff", portal.staff("specialist")["Authorization"].split()[1], path="/ui")
    assert staff.get(f"{portal.base}/p/access-log").status_code == 401
    old = patient.get(f"{portal.base}/ui/my-journey")              # a bookmark from before the portal
    assert old.status_code == 200 and old.url.endswith("/p/journey")


def test_each_date_and_check_up_downloads_as_a_calendar_file(portal):
    journey = portal.home_patient()
    patient = portal.patient(journey)
    page = patient.get(f"{portal.base}/p/journey").text
    links = sorted(set(part.split('"')[0] for part in page.split('href="/p/journey/calendar/')[1:]))
    assert len(links) == 2                                      # the two dates still to come
    file = patient.get(f"{portal.base}/p/journey/calendar/{links[0]}")
    assert file.headers["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(file.content).walk("VEVENT")
    assert str(event["SUMMARY"]) in ("Rest of the price due", "Your flight home")
    checkups = patient.get(f"{portal.base}/p/checkups").text
    checkup_id = checkups.split('href="/p/checkups/')[1].split(".ics")[0]
    checkup_file = patient.get(f"{portal.base}/p/checkups/{checkup_id}.ics")
    [call] = Calendar.from_ical(checkup_file.content).walk("VEVENT")
    assert call["DTSTART"].dt.tzinfo is not None and "Skype" not in str(call["SUMMARY"])
    assert patient.get(f"{portal.base}/p/journey/calendar/2000-01-01-abc.ics").status_code == 404


def test_a_patient_asks_to_move_a_check_up_and_the_follow_up_staff_see_the_request(portal):
    journey = portal.home_patient()
    patient = portal.patient(journey)
    page = patient.get(f"{portal.base}/p/checkups").text
    checkup_id = page.split('action="/p/checkups/')[1].split("/move")[0]
    form = {**_form(patient, portal.base, "/p/checkups"), "reason": "travelling",
            "preferred": "the week after"}
    sent = patient.post(f"{portal.base}/p/checkups/{checkup_id}/move", data=form, allow_redirects=False)
    assert sent.status_code == 303, sent.text
    again = patient.post(f"{portal.base}/p/checkups/{checkup_id}/move", data=form, allow_redirects=False)
    assert again.headers.get("Idempotent-Replayed") == "true"      # a double click asks once
    assert "You asked to move this check-up" in patient.get(f"{portal.base}{sent.headers['Location']}").text
    listed = requests.get(f"{portal.base}/api/followup/move-requests", params={"journey_id": journey},
                          headers=portal.staff("specialist")).json()
    assert [(r["checkup_id"], r["reason"], r["preferred"]) for r in listed] == [
        (checkup_id, "travelling", "the week after")]
    bad = patient.post(f"{portal.base}/p/checkups/{checkup_id}/move",
                       data={**_form(patient, portal.base, "/p/checkups"), "reason": "bored"})
    assert bad.status_code == 422 and "choose why" in bad.text
    assert ("portal_ask_to_move_checkup",) in _logged(portal, journey, AccessLogEntry.action)


def test_my_consents_show_what_i_agreed_to_and_i_withdraw_my_health_data_consent(portal):
    journey = portal.home_patient(language="nl")
    patient = portal.patient(journey)
    page = patient.get(f"{portal.base}/p/consent")
    assert page.status_code == 200 and "Mijn toestemmingen" in page.text and "2026-01" in page.text
    assert page.text.count('name="purpose"') == 2            # health data and marketing, not privacy
    sent = patient.post(f"{portal.base}/p/consent", data=dict(_form(patient, portal.base, "/p/consent"),
                                                              purpose="health_data"), allow_redirects=False)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/p/consent?withdrawn=health_data")
    after = patient.get(f"{portal.base}{sent.headers['Location']}")
    assert "Uw toestemming is ingetrokken" in after.text and after.text.count('name="purpose"') == 1
    assert ("portal_withdraw_consent",) in _logged(portal, journey, AccessLogEntry.action)
