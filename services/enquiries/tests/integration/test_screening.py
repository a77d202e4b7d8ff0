"""Screening through the gateway: steps in order, the questionnaire, acceptance and decline."""
from services.enquiries.models import QuestionnaireResponse
from services.enquiries.tests.integration.helpers import (
    ANSWERS,
    accepted_journey,
    events_of,
    fill_in_and_submit,
    months_ago,
    ok,
    patient_client,
    screen_to_the_questionnaire,
    submitted,
    suitability,
)


def test_a_full_screening_ends_in_patient_accepted_carrying_what_later_stages_need(stack, public, staff, tap):
    form = suitability(smoking_status="stopped", smoking_stopped_on=months_ago(1), amputation_side="right")
    answer = submitted(public, form)
    journey = answer["journey_id"]
    screen_to_the_questionnaire(staff, journey)
    with patient_client(stack, staff, journey) as patient:
        fill_in_and_submit(patient, journey)
    ok(staff("specialist").post(f"/api/enquiries/{journey}/decision", json={"decision": "accepted"}))
    events = events_of(tap, journey, "patient_accepted")
    steps = [e["payload"]["step"] for e in events if e["type"] == "screening_step_completed"]
    assert steps == ["outpatient_invitation", "consultation", "psychologist_call", "specialist_introduction",
                     "questionnaire"]
    accepted = next(e for e in events if e["type"] == "patient_accepted")["payload"]
    assert accepted == {"enquiry_id": answer["enquiry_id"],
                        "earliest_surgery_date": answer["prescreen"]["earliest_surgery_date"],
                        "amputation_level": "transfemoral", "amputation_side": "right",
                        "body_weight_kg": "74.5",
                        "preferred_language": "pt", "country": "PT"}
    detail = ok(staff("intake_coordinator").get(f"/api/enquiries/{journey}"), 200)
    specialist_id = ok(staff("specialist").get("/api/me"), 200)["subject"]
    assert (detail["status"], detail["decided_by"], detail["next_step"]) == ("accepted", specialist_id, None)


def test_a_step_completed_out_of_order_is_refused_until_the_one_before_is_skipped_with_a_reason(
        public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    intake = staff("intake_coordinator")
    path = f"/api/enquiries/{journey}"
    call = ok(intake.post(f"{path}/appointments", json={
        "step": "psychologist_call", "scheduled_at": "2030-02-01T09:30:00+01:00", "channel": "phone"}))
    refused = intake.patch(f"{path}/appointments/{call['id']}", json={"status": "done"})
    assert refused.status_code == 409
    assert refused.json()["waiting_for"] == ["outpatient_invitation", "consultation"]
    assert intake.post(f"{path}/steps/consultation/skip", json={}).status_code == 422  # no reason, no skip
    ok(intake.post(f"{path}/steps/outpatient_invitation/complete"))
    ok(intake.post(f"{path}/steps/consultation/skip", json={"reason": "consultation held at the referral"}))
    ok(intake.patch(f"{path}/appointments/{call['id']}", json={"status": "done"}), 200)
    events = events_of(tap, journey, "screening_step_completed", count=5)
    skipped = [e["payload"]["step"] for e in events if e["payload"].get("skipped")]
    assert skipped == ["consultation"]
    detail = ok(intake.get(path), 200)
    assert [s["state"] for s in detail["steps"]][:3] == ["completed", "skipped", "completed"]
    assert detail["steps"][1]["reason"] == "consultation held at the referral"
    assert detail["next_step"] == "specialist_introduction"


def test_acceptance_is_refused_while_screening_is_unfinished(public, staff):
    journey = submitted(public, suitability())["journey_id"]
    refused = staff("specialist").post(f"/api/enquiries/{journey}/decision", json={"decision": "accepted"})
    assert refused.status_code == 409
    assert "questionnaire" in refused.json()["waiting_for"]


def test_a_declined_patient_is_announced_with_reason_codes_and_the_note_stays_private(public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    specialist = staff("specialist")
    no_reason = specialist.post(f"/api/enquiries/{journey}/decision", json={"decision": "declined"})
    assert no_reason.status_code == 422
    ok(specialist.post(f"/api/enquiries/{journey}/decision", json={
        "decision": "declined", "reasons": ["bone_quality"], "note": "cortical thickness too low on X-ray"}))
    events = events_of(tap, journey, "patient_declined")
    declined = next(e for e in events if e["type"] == "patient_declined")["payload"]
    assert (declined["stage"], declined["reasons"]) == ("screening", ["bone_quality"])
    assert "cortical" not in str(events)
    assert specialist.post(f"/api/enquiries/{journey}/decision",
                           json={"decision": "accepted"}).status_code == 409


def test_the_psychologist_may_screen_but_not_decide(public, staff):
    journey = submitted(public, suitability())["journey_id"]
    response = staff("psychologist").post(f"/api/enquiries/{journey}/decision", json={"decision": "accepted"})
    assert response.status_code == 403


def test_the_patient_saves_part_of_the_questionnaire_and_resumes_where_they_left_off(stack, public, staff):
    journey = submitted(public, suitability())["journey_id"]
    with patient_client(stack, staff, journey) as patient:
        path = f"/api/enquiries/{journey}/questionnaire"
        first_half = dict(list(ANSWERS.items())[:6])
        ok(patient.put(path, json={"answers": first_half}), 200)
        resumed = ok(patient.get(path), 200)
        assert resumed["answers"] == first_half
        assert resumed["status"] == "draft"
        assert "gh_overall" in resumed["unanswered"]
        assert [s["id"] for s in resumed["definition"]["sections"]][0] == "prosthetic_use"
        early = patient.post(f"{path}/submit")
        assert early.status_code == 422 and "gh_overall" in early.json()["fields"]
        ok(patient.put(path, json={"answers": dict(ANSWERS, pu_knee_type="mechanical")}), 200)
        before_steps = patient.post(f"{path}/submit")
        assert before_steps.status_code == 409  # the staff steps before the questionnaire come first


def test_a_questionnaire_answer_of_the_wrong_type_is_refused_and_nothing_is_saved(stack, public, staff):
    journey = submitted(public, suitability())["journey_id"]
    with patient_client(stack, staff, journey) as patient:
        path = f"/api/enquiries/{journey}/questionnaire"
        ok(patient.put(path, json={"answers": {"pu_days_per_week": 5}}), 200)
        response = patient.put(path, json={"answers": {"pu_hours_per_day": 4, "pu_days_per_week": "five"}})
        assert response.status_code == 422
        assert list(response.json()["fields"]) == ["pu_days_per_week"]
        assert ok(patient.get(path), 200)["answers"] == {"pu_days_per_week": 5}
    with stack.store.session() as session:
        enquiry_answers = [r.answers for r in session.query(QuestionnaireResponse).all()]
    assert {"pu_days_per_week": 5} in enquiry_answers


def test_a_patient_link_opens_only_its_own_journey(stack, public, staff):
    mine = submitted(public, suitability())["journey_id"]
    other = submitted(public, suitability())["journey_id"]
    with patient_client(stack, staff, mine) as patient:
        assert patient.get(f"/api/enquiries/{other}/questionnaire").status_code == 403
        assert patient.get(f"/api/enquiries/{mine}").status_code == 403  # staff detail is not theirs


def test_an_accepted_patient_can_no_longer_change_the_questionnaire(stack, public, staff):
    journey = accepted_journey(stack, public, staff)
    response = staff("specialist").put(f"/api/enquiries/{journey}/questionnaire",
                                       json={"answers": {"mob_falls": False}})
    assert response.status_code == 409
