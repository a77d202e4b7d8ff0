"""The follow-up plan from other stages' events, and check-ups recorded by the specialist."""
import uuid
from datetime import date

import requests
from sqlalchemy import func, select

from services.followup import models
from shared.testing.infra import wait_for


def _of(tap, event_type, journey):
    return [e for e in tap.of_type(event_type) if e["journey_id"] == journey]


def test_rehab_completed_makes_the_follow_up_plan_once(system):
    tap = system.tap()
    journey = system.home_patient(country="NO")
    again = system.publish("rehabilitation", "rehab_completed", {
        "plan_id": str(uuid.uuid4()), "completed_on": date(2025, 4, 15), "planned_end": date(2025, 4, 15)},
        journey)
    system.publish("rehabilitation", "rehab_completed", {}, journey, event=again)  # redelivered
    marker = system.home_patient()  # later traffic: the copies above were handled before it
    wait_for(lambda: _of(tap, "followup_planned", marker))
    planned = _of(tap, "followup_planned", journey)
    assert len(planned) == 1 and system.count(models.Plan, journey_id=journey) == 1
    assert planned[0]["payload"]["checkup_dates"][:4] == [
        "2025-04-21", "2025-06-10", "2025-09-10", "2026-03-10"]
    assert planned[0]["payload"]["time_zone"] == "Europe/Oslo"
    assert planned[0]["payload"]["channel"] == "video"
    tap.close()


def test_a_plan_waits_for_the_surgery_date_when_rehabilitation_ends_first(system):
    journey = str(uuid.uuid4())
    system.publish("rehabilitation", "rehab_completed", {
        "plan_id": str(uuid.uuid4()), "completed_on": date(2025, 5, 20), "planned_end": date(2025, 5, 20)},
        journey)
    wait_for(lambda: system.count(models.Patient, journey_id=journey) == 1)
    assert system.count(models.Plan, journey_id=journey) == 0
    system.publish("surgery", "surgery_performed", {
        "surgery_id": str(uuid.uuid4()), "performed_on": date(2025, 4, 14), "side": "right",
        "implant_type": "OPRA", "implant_size": "L", "implant_lot": "LOT-2"}, journey)
    wait_for(lambda: system.count(models.Plan, journey_id=journey) == 1)
    schedule = requests.get(f"{system.base}/api/journeys/{journey}/followup/schedule",
                            headers=system.login("specialist")).json()
    assert schedule["checkups"][0]["label"] == "6 weeks"  # 26 May: after the flight home
    assert schedule["preferences"]["time_zone"] == "Europe/Amsterdam"  # country never heard: assumed


def test_a_checkup_missed_twice_is_rebooked_each_time_and_flagged(system):
    journey, tap = system.home_patient(), system.tap()
    specialist = system.login("specialist")
    record = requests.get(f"{system.base}/api/journeys/{journey}/followup", headers=specialist).json()
    checkup = record["checkups"][0]
    for expected_flag in (False, True):
        response = requests.post(
            f"{system.base}/api/journeys/{journey}/followup/checkups/{checkup['id']}/outcome",
            json={"outcome": "missed"}, headers=specialist)
        assert response.status_code == 200, response.text
        checkup = response.json()["rebooked"]
        assert checkup["label"] == "6 weeks" and checkup["flagged"] is expected_flag
    completed = wait_for(lambda: len(_of(tap, "checkup_completed", journey)) == 2 and
                         _of(tap, "checkup_completed", journey))
    assert [e["payload"]["flagged"] for e in completed] == [False, True]
    attention = requests.get(f"{system.base}/api/followup/overdue", headers=specialist).json()
    assert checkup["id"] in [c["id"] for c in attention["flagged_checkups"]]
    tap.close()


def test_a_done_checkup_keeps_its_findings_and_cannot_be_recorded_twice(system):
    journey, tap = system.home_patient(), system.tap()
    specialist = system.login("specialist")
    record = requests.get(f"{system.base}/api/journeys/{journey}/followup", headers=specialist).json()
    checkup = record["checkups"][1]
    url = f"{system.base}/api/journeys/{journey}/followup/checkups/{checkup['id']}/outcome"
    findings = {"stoma_condition": "irritated", "pain_score": 3, "infection_signs": False,
                "activity_level": "moderate", "implant_stability": "stable"}
    done = requests.post(url, json={"outcome": "done", "findings": findings}, headers=specialist)
    assert done.status_code == 200, done.text
    assert done.json()["checkup"]["findings"] == findings
    assert done.json()["checkup"]["concerning"] == ["stoma irritated"]
    assert requests.post(url, json={"outcome": "missed"}, headers=specialist).status_code == 409
    no_findings = requests.post(f"{system.base}/api/journeys/{journey}/followup/checkups/x/outcome",
                                json={"outcome": "done"}, headers=specialist)
    assert no_findings.status_code == 404
    wait_for(lambda: [e["payload"]["outcome"] for e in _of(tap, "checkup_completed", journey)] == ["done"])
    tap.close()


def test_the_patient_sees_check_ups_in_their_own_time_and_may_choose_the_telephone(system):
    journey = system.home_patient(country="US")
    link = system.patient_link(journey)
    url = f"{system.base}/api/journeys/{journey}/followup"
    schedule = requests.get(f"{url}/schedule", headers=link).json()
    first = schedule["checkups"][0]
    assert first["local_start"].endswith("T10:00:00-04:00")
    assert first["clinic_start"].endswith("T16:00:00+02:00")
    chosen = requests.put(f"{url}/preferences", json={"channel": "telephone"}, headers=link)
    assert chosen.status_code == 200, chosen.text
    assert {c["channel"] for c in chosen.json()["checkups"]} == {"telephone"}
    bad = requests.put(f"{url}/preferences", json={"channel": "video", "time_zone": "Mars/Olympus"},
                       headers=link)
    assert bad.status_code == 422 and "time_zone" in bad.json()["fields"]
    assert requests.get(url, headers=link).status_code == 403  # the full file is for staff


def test_activity_advice_follows_the_clinic_rules_until_the_specialist_says_otherwise(system):
    journey = system.home_patient(surgery=date(2025, 3, 10))
    url = f"{system.base}/api/journeys/{journey}/followup"
    advice = {g["activity"]: g for g in requests.get(f"{url}/schedule", headers=system.login("specialist"))
              .json()["guidance"]}
    assert advice["swimming"]["advice"] == "allowed" and advice["contact_sports"]["advice"] == "discouraged"
    assert (advice["intensive_activity"]["advice"], advice["intensive_activity"]["not_before"]) == (
        "not_before", "2027-03-10")
    changed = requests.put(f"{url}/guidance", headers=system.login("specialist"),
                           json={"activity": "swimming", "advice": "not_before", "not_before": "2025-09-01"})
    assert changed.status_code == 200, changed.text
    seen = requests.get(f"{url}/schedule", headers=system.patient_link(journey)).json()["guidance"]
    swimming = next(g for g in seen if g["activity"] == "swimming")
    assert (swimming["advice"], swimming["not_before"]) == ("not_before", "2025-09-01")
    assert swimming["set_by"].startswith("staff:")


def test_erasure_erases_what_is_not_a_medical_record_and_keeps_what_is(system):
    tap = system.tap()
    enquirer = str(uuid.uuid4())
    system.publish("enquiries", "patient_accepted", {
        "enquiry_id": "ENQ-x", "amputation_level": "transfemoral", "amputation_side": "left",
        "body_weight_kg": "70.0", "preferred_language": "en", "country": "GB"}, enquirer)
    wait_for(lambda: system.count(models.Patient, journey_id=enquirer) == 1)
    patient = system.home_patient()
    for journey in (enquirer, patient):
        system.publish("journey", "erasure_requested", {"request_id": f"req-{journey[:8]}"}, journey)
    wait_for(lambda: len(tap.of_type("erasure_confirmed")) == 2)
    confirmed = tap.of_type("erasure_confirmed")
    answers = {e["journey_id"]: e["payload"] for e in confirmed}
    assert answers[enquirer] == {"request_id": f"req-{enquirer[:8]}", "service": "followup", "erased": True,
                                 "retained_reason": None}
    assert answers[patient]["erased"] is False
    assert answers[patient]["retained_reason"] == "medical record retention (20 years)"
    assert system.count(models.Patient, journey_id=enquirer) == 0
    assert system.count(models.Plan, journey_id=patient) == 1
    tap.close()


def test_a_withdrawn_consent_stops_the_follow_up_deadlines_of_that_journey(system):
    patient = system.home_patient()
    timers = models.kernel.timers

    def pending() -> int:
        with system.db.session() as session:
            return session.scalar(select(func.count()).select_from(timers).where(
                timers.c.journey_id == patient, timers.c.fired_at.is_(None)))
    wait_for(lambda: pending() > 0)   # the check-ups' deadlines are armed
    system.publish("enquiries", "consent_withdrawn", {"enquiry_id": "E", "purpose": "health_data",
                                                      "channel": "staff"}, patient)
    wait_for(lambda: pending() == 0)
