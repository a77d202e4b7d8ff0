"""The second opinion through the gateway: booked, held or missed and booked again, concluded; an
advice to enquire opens the same person's suitability enquiry, pre-screened once the health
questions are answered."""
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.enquiries.tests.integration.helpers import Client, events_of, ok, submitted, suitability
from services.enquiries.tests.integration.test_erasure import confirmation, request_erasure
from shared.clock import CLOCK_FILE, set_simulated

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def second_opinion_form() -> dict:
    return {"name": "Bea Testperson", "email": f"bea.{uuid.uuid4().hex[:10]}@example.org",
            "phone": "+49 30 1234567", "country": "DE", "preferred_language": "de",
            "prosthesis_complaints": "The socket hurts after ten minutes", "amputation_level": "transfemoral",
            "privacy_consent": True, "health_data_consent": True, "marketing_consent": True}


def asked(public) -> str:
    response = public.post("/api/enquiries/second-opinion", json=second_opinion_form())
    return ok(response)["journey_id"]


@pytest.fixture
def clinic_day(monkeypatch, tmp_path):
    """clinic_day(d): every service in this process now reads `d` as the clinic's today."""
    path = tmp_path / "clock"
    monkeypatch.setenv(CLOCK_FILE, str(path))
    return lambda day: set_simulated(path, day)


def tomorrow_at_ten() -> datetime:
    return datetime.combine(datetime.now(AMSTERDAM).date() + timedelta(days=1), time(10), AMSTERDAM)


def test_a_second_opinion_is_booked_held_and_its_advice_opens_a_suitability_enquiry_for_the_same_person(
        stack, public, staff, tap, clinic_day):
    journey = asked(public)
    path = f"/api/enquiries/{journey}/second-opinion"
    at = tomorrow_at_ten()
    booked = ok(staff("intake_coordinator").post(f"{path}/appointments", json={
        "scheduled_at": at.isoformat(), "place": "Partner clinic, Amsterdam"}))
    [appointment] = booked["appointments"]
    assert (booked["status"], appointment["status"]) == ("booked", "booked")
    assert datetime.fromisoformat(appointment["scheduled_at"]) == at  # with its offset
    early = staff("specialist").patch(f"{path}/appointments/{appointment['id']}", json={"status": "held"})
    assert early.status_code == 409  # not before its day

    clinic_day(at.date())
    ok(staff("specialist").patch(f"{path}/appointments/{appointment['id']}", json={"status": "held"}), 200)
    concluded = ok(staff("specialist").post(f"{path}/conclusion", json={
        "outcome": "advised_to_enquire", "note": "good bone stock expected; worth an assessment"}))
    suitability_journey = concluded["suitability_journey_id"]
    assert concluded["status"] == "concluded" and suitability_journey not in (None, journey)

    events = events_of(tap, journey, "second_opinion_booked", "second_opinion_held",
                       "second_opinion_concluded")
    payloads = {e["type"]: e["payload"] for e in events}
    assert payloads["second_opinion_concluded"]["outcome"] == "advised_to_enquire"
    assert "bone" not in str(events) and "Bea" not in str(events)
    [opened] = events_of(tap, suitability_journey, "enquiry_received")
    assert (opened["payload"]["opened_from_journey_id"], opened["payload"]["health_questions_pending"]) == (
        journey, True)

    intake = staff("intake_coordinator")
    first, second = ok(intake.get(f"/api/enquiries/{journey}"), 200), \
        ok(intake.get(f"/api/enquiries/{suitability_journey}"), 200)
    assert {k: second[k] for k in ("name", "email", "phone", "country", "marketing_consent")} == \
        {k: first[k] for k in ("name", "email", "phone", "country", "marketing_consent")}
    assert (second["kind"], second["status"], second["opened_from_journey_id"]) == (
        "suitability", "awaiting_health", journey)
    assert "date_of_birth" in second["health_questions_unanswered"]
    assert "amputation_level" not in second["health_questions_unanswered"]  # the second opinion asked it

    link = ok(intake.post(f"/api/enquiries/{suitability_journey}/health-questions/link"))
    with Client(stack.base) as person:
        person.headers["Authorization"] = "Bearer " + link["token"]
        answers = {key: value for key, value in suitability().items() if key in (
            "date_of_birth", "amputation_side", "years_since_amputation", "smoking_status", "diabetes",
            "circulatory_disease", "body_weight_kg")}
        incomplete = person.put(link["path"], json=dict(answers, body_weight_kg=None) | {"diabetes": False})
        assert incomplete.status_code == 422
        missing = person.put(link["path"], json={k: v for k, v in answers.items() if k != "body_weight_kg"})
        assert missing.status_code == 422 and "body_weight_kg" in missing.json()["fields"]
        prescreen = ok(person.put(link["path"], json=answers), 200)
    assert prescreen["outcome"] == "passed"
    assert ok(intake.get(f"/api/enquiries/{suitability_journey}"), 200)["status"] == "screening"
    events_of(tap, suitability_journey, "prescreen_decided")


def test_a_missed_second_opinion_is_booked_again_needs_a_held_one_before_its_outcome_and_can_be_erased(
        stack, public, staff, tap, clinic_day):
    journey = asked(public)
    path = f"/api/enquiries/{journey}/second-opinion"
    intake = staff("intake_coordinator")
    at = tomorrow_at_ten()
    first = ok(intake.post(f"{path}/appointments", json={"scheduled_at": at.isoformat(),
                                                         "place": "Partner clinic, Amsterdam"}))
    twice = intake.post(f"{path}/appointments", json={"scheduled_at": at.isoformat(), "place": "Elsewhere"})
    assert twice.status_code == 409
    clinic_day(at.date())
    appointment = first["appointments"][0]["id"]
    ok(intake.patch(f"{path}/appointments/{appointment}", json={"status": "missed"}), 200)
    refused = intake.post(f"{path}/conclusion", json={"outcome": "no_action_needed"})
    assert refused.status_code == 409
    again = ok(intake.post(f"{path}/appointments", json={
        "scheduled_at": (at + timedelta(days=7)).isoformat(), "place": "Partner clinic, Amsterdam"}))
    assert [a["status"] for a in again["appointments"]] == ["missed", "booked"]
    events = events_of(tap, journey, "second_opinion_missed", "second_opinion_booked", count=4)
    assert [e["payload"]["rebooked"] for e in events if e["type"] == "second_opinion_booked"] == [False, True]
    withdrawn = ok(intake.post(f"{path}/conclusion", json={"outcome": "patient_withdrew",
                                                           "note": "moving abroad next month"}))
    assert (withdrawn["status"], withdrawn["suitability_journey_id"], withdrawn["note"]) == (
        "concluded", None, "moving abroad next month")

    request_erasure(stack, journey)  # never a patient: the staff's note goes with the rest
    assert confirmation(tap, journey)["erased"] is True
    erased = ok(intake.get(f"/api/enquiries/{journey}"), 200)
    assert (erased["name"], erased["second_opinion"]["note"]) == (None, None)
    assert erased["second_opinion"]["outcome"] == "patient_withdrew"


def test_only_a_second_opinion_is_booked_and_only_its_roles_may_book_it(public, staff):
    journey = asked(public)
    path = f"/api/enquiries/{journey}/second-opinion/appointments"
    body = {"scheduled_at": tomorrow_at_ten().isoformat(), "place": "Partner clinic, Amsterdam"}
    assert staff("physiotherapist").post(path, json=body).status_code == 403
    assert staff("specialist").post(path, json=body).status_code == 403
    past = staff("intake_coordinator").post(path, json=dict(body, scheduled_at="2020-01-01T10:00:00+01:00"))
    assert past.status_code == 422 and "scheduled_at" in past.json()["fields"]
    other = submitted(public, suitability())["journey_id"]
    wrong_kind = staff("intake_coordinator").post(f"/api/enquiries/{other}/second-opinion/appointments",
                                                  json=body)
    assert wrong_kind.status_code == 409
    not_waiting = staff("intake_coordinator").put(f"/api/enquiries/{other}/health-questions",
                                                  json={"diabetes": False})
    assert not_waiting.status_code == 409
