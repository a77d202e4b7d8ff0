"""Overrides, re-screening, the worklist, and who may see enquiries at all."""
from sqlalchemy import select

from services.enquiries.tests.integration.helpers import events_of, months_ago, ok, submitted, suitability
from services.gateway.models import AccessLogEntry


def access_log(stack, **where) -> list[AccessLogEntry]:
    with stack.gateway_store.session() as session:
        query = select(AccessLogEntry).filter_by(**where).order_by(AccessLogEntry.id)
        return list(session.scalars(query))


def test_staff_override_an_outcome_with_a_reason_and_who_did_it_is_recorded(public, staff, tap):
    journey = submitted(public, suitability(circulatory_disease=True))["journey_id"]
    specialist = staff("specialist")
    no_reason = specialist.post(f"/api/enquiries/{journey}/prescreen/override", json={"outcome": "passed"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    override = ok(specialist.post(f"/api/enquiries/{journey}/prescreen/override", json={
        "outcome": "passed", "reason": "vascular surgeon cleared the circulation"}))
    assert (override["outcome"], override["overridden"]) == ("passed", True)
    events = events_of(tap, journey, "prescreen_decided", count=4)
    decided = [e["payload"] for e in events if e["type"] == "prescreen_decided"]
    assert [(d["outcome"], d["overridden"]) for d in decided] == [("declined", False), ("passed", True)]
    assert "vascular" not in str(events)
    detail = ok(specialist.get(f"/api/enquiries/{journey}"), 200)
    me = ok(specialist.get("/api/me"), 200)["subject"]
    latest = detail["prescreens"][-1]
    assert (latest["decided_by"], latest["reason"]) == (me, "vascular surgeon cleared the circulation")
    assert detail["status"] == "screening"
    again = specialist.post(f"/api/enquiries/{journey}/prescreen/override",
                            json={"outcome": "passed", "reason": "same again"})
    assert again.status_code == 409


def test_a_smoker_on_hold_is_re_screened_on_the_same_journey_after_stopping(public, staff, tap):
    answer = submitted(public, suitability(smoking_status="current"))
    journey = answer["journey_id"]
    assert (answer["status"], answer["prescreen"]["rules_fired"]) == ("on_hold", ["currently_smoking"])
    intake = staff("intake_coordinator")
    assert intake.post(f"/api/enquiries/{journey}/steps/outpatient_invitation/complete").status_code == 409
    stopped = months_ago(1)
    rescreened = ok(intake.post(f"/api/enquiries/{journey}/prescreen/rescreen", json={
        "smoking_status": "stopped", "smoking_stopped_on": stopped}))
    assert rescreened["outcome"] == "passed"
    assert rescreened["rules_fired"] == ["stopped_smoking_recently"]
    assert rescreened["earliest_surgery_date"] > stopped
    events = events_of(tap, journey, "prescreen_decided", count=3)
    outcomes = [e["payload"]["outcome"] for e in events if e["type"] == "prescreen_decided"]
    assert outcomes == ["on_hold", "passed"]
    assert ok(intake.get(f"/api/enquiries/{journey}"), 200)["status"] == "screening"
    assert intake.post(f"/api/enquiries/{journey}/prescreen/rescreen", json={}).status_code == 409


def test_the_worklist_filters_by_status_pages_and_logs_each_patient_shown(stack, public, staff):
    waitlisted = {submitted(public, suitability(amputation_level="transtibial"))["journey_id"]
                  for _ in range(3)}
    intake = staff("intake_coordinator")
    first = ok(intake.get("/api/enquiries", params={"status": "waitlisted", "per_page": 2}), 200)
    second = ok(intake.get("/api/enquiries", params={"status": "waitlisted", "per_page": 2, "page": 2}), 200)
    assert first["total"] == second["total"] >= 3
    listed = [item["journey_id"] for item in first["items"] + second["items"]]
    assert len(listed) == len(set(listed)) == min(4, first["total"])
    assert all(item["status"] == "waitlisted" for item in first["items"] + second["items"])
    everything = ok(intake.get("/api/enquiries", params={"status": "waitlisted", "per_page": 100}), 200)
    assert waitlisted <= {item["journey_id"] for item in everything["items"]}
    logged = {e.journey_id for e in access_log(stack, action="enquiry_worklist", outcome="allowed")}
    assert set(listed) <= logged
    assert intake.get("/api/enquiries", params={"status": "lost"}).status_code == 422


def test_a_role_that_may_not_see_enquiries_is_refused_and_the_refusal_is_logged(stack, public, staff):
    journey = submitted(public, suitability())["journey_id"]
    finance = staff("finance")
    assert finance.get(f"/api/enquiries/{journey}").status_code == 403
    assert finance.get("/api/enquiries").status_code == 403
    denied = access_log(stack, role="finance", outcome="denied")
    assert [(e.action, e.journey_id, e.status) for e in denied][-2:] == [
        ("enquiry_detail", journey, 403), ("enquiry_worklist", None, 403)]


def test_an_unknown_journey_is_not_found(staff):
    response = staff("intake_coordinator").get("/api/enquiries/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
