"""The patient's follow-up pages in the portal, over HTTP: Report a problem becomes a complication the
specialist must act on (escalated as an assessment's concern is), with what to do now when it is urgent;
Send X-rays and photos shows the limit first, lists what was sent and whether it was reviewed, and says
in plain words why a file was refused."""
import re

import requests
from sqlalchemy import select

from services.followup import models
from services.followup.tests import images
from services.gateway.models import AccessLogEntry
from shared.clock import aware, clinic_clock
from shared.testing.infra import wait_for

_FIELD = re.compile(r'name="(csrf_token|idempotency_key)" value="([^"]+)"')


def portal(system, journey: str) -> requests.Session:
    """A phone that opened the patient's personal link: a session cookie for /p, nothing else."""
    token = system.patient_link(journey)["Authorization"].split()[1]
    browser = requests.Session()
    opened = browser.get(f"{system.base}/ui/patient?token={token}", allow_redirects=False)
    assert opened.status_code == 303, opened.text
    return browser


def form_of(browser, url: str) -> dict:
    page = browser.get(url)
    assert page.status_code == 200, page.text
    return dict(_FIELD.findall(page.text))


def test_signs_of_infection_with_fever_are_escalated_as_a_complication_and_send_the_patient_to_a_doctor(
        system):
    journey, tap = system.home_patient(), system.tap()
    phone = portal(system, journey)
    page = f"{system.base}/p/problems"
    sent = phone.post(page, data={**form_of(phone, page), "problem": "infection_signs", "pain_score": "6",
                                  "symptoms": ["fever", "discharge"], "note": "warm since Sunday"},
                      allow_redirects=False)
    assert sent.status_code == 303, sent.text
    told = phone.get(system.base + sent.headers["Location"])
    assert 'id="urgent-advice"' in told.text and "Go to a doctor or a hospital now" in told.text
    assert "+31 20 000 0000" in told.text   # the clinic's number, to call once seen

    reported = wait_for(lambda: [e for e in tap.of_type("complication_reported")
                                 if e["journey_id"] == journey])
    assert len(reported) == 1
    payload = reported[0]["payload"]
    assert (payload["kind"], payload["subject"]) == ("infection", "patient_report")
    assert "warm since Sunday" not in str(reported[0])          # what the patient wrote stays in the file
    specialist = system.login("specialist")
    listed = requests.get(f"{system.base}/api/journeys/{journey}/followup/problems", headers=specialist)
    [report] = listed.json()["reports"]
    assert (report["note"], report["urgent"], report["escalation"]["status"]) == (
        "warm since Sunday", True, "open")
    assert report["escalation"]["act_by"] == payload["act_by"]
    # The same deadline as a staff-entered infection: FOLLOWUP.escalation_days (1 day), overdue armed.
    with system.db.session() as session:
        escalation = session.get(models.Escalation, payload["escalation_id"])
        assert (escalation.act_by - clinic_day_reported(system, session, escalation)).days == 1
    resolve = f"{system.base}/api/journeys/{journey}/followup/escalations/{escalation.id}/resolve"
    resolved = requests.post(resolve, headers=specialist, json={"action_code": "antibiotics_started"})
    assert resolved.status_code == 200, resolved.text
    assert "the clinic has acted on it" in phone.get(page).text
    with system.gateway_db.session() as session:
        actions = set(session.scalars(select(AccessLogEntry.action)
                                      .where(AccessLogEntry.journey_id == journey)))
    assert {"portal_problems", "portal_reported_problem"} <= actions
    tap.close()


def clinic_day_reported(system, session, escalation):
    """The clinic's date when the problem was reported: its clock's, not UTC's (which, between midnight in
    Amsterdam and midnight in UTC, is still the day before)."""
    report = session.get(models.ProblemReport, escalation.report_id)
    return aware(report.reported_at).astimezone(clinic_clock(system.config).timezone).date()


def test_a_problem_without_alarming_signs_tells_when_the_clinic_will_call_and_a_wrong_field_is_named(system):
    journey = system.home_patient()
    phone = portal(system, journey)
    page = f"{system.base}/p/problems"
    for field, value in (("pain_score", "12"), ("started_on", "2999-01-01")):
        wrong = phone.post(page, data={**form_of(phone, page), "problem": "stoma_irritation", field: value})
        assert wrong.status_code == 422
        assert f'id="{field}-error"' in wrong.text and f'aria-describedby="{field}-error"' in wrong.text
        assert 'value="stoma_irritation" checked' in wrong.text      # what was chosen stays chosen
    sent = phone.post(page, data={**form_of(phone, page), "problem": "stoma_irritation", "pain_score": "3"})
    assert sent.status_code == 200 and 'id="report-sent"' in sent.text and "urgent-advice" not in sent.text
    assert "The clinic will contact you by" in sent.text


def test_an_upload_from_the_phone_is_listed_until_reviewed_and_a_refused_file_is_explained(system):
    journey = system.home_patient()
    phone = portal(system, journey)
    page = f"{system.base}/p/uploads"
    empty = phone.get(page).text
    assert "each at most 64 KB" in empty                             # the limit, before anything is sent
    assert 'accept=".dcm,.dicom,application/dicom,image/jpeg,image/png,application/pdf"' in empty
    assert 'capture="environment"' in empty and "Nothing sent yet" in empty

    refused = phone.post(page, data={**form_of(phone, page), "kind": "xray", "made_where": "Bergen hospital"},
                         files={"file": ("xray.jpg", images.executable(), "image/jpeg")})
    assert refused.status_code == 422
    assert "This kind of file cannot be accepted" in refused.text and 'aria-invalid="true"' in refused.text
    too_big = phone.post(page, data={**form_of(phone, page), "kind": "stoma_photo", "made_where": "at home"},
                         files={"photo": ("big.png", b"\x89PNG" + b"0" * 300 * 1024, "image/png")})
    # past a form's 256 KB too: the page reads what its limit allows and says so in the patient's words
    assert too_big.status_code == 422 and "a file can be at most 64 KB" in too_big.text

    sent = phone.post(page, data={**form_of(phone, page), "kind": "stoma_photo", "made_where": "at home"},
                      files={"photo": ("stoma.png", images.png(shade=7), "image/png")}, allow_redirects=False)
    assert sent.status_code == 303, sent.text
    listed = phone.get(system.base + sent.headers["Location"]).text
    assert "your file was received" in listed and "Photo of the stoma" in listed and "Not yet" in listed
    with system.db.session() as session:
        image = session.scalar(select(models.Image).where(models.Image.journey_id == journey))
        assert (image.uploaded_via, image.body_part, image.made_where) == ("patient_link", "stoma", "at home")
    assessed = requests.post(f"{system.base}/api/journeys/{journey}/followup/assessments",
                             headers=system.login("specialist"),
                             json={"subject": "image", "subject_id": image.id, "outcome": "fine",
                                   "concerns": []})
    assert assessed.status_code == 201, assessed.text
    assert "Yes, reviewed" in phone.get(page).text
