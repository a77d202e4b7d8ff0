"""Surgeons through the API: the pre-op check, the operation, the ward, impossible orders."""
from datetime import date, timedelta

from services.surgery.settings import parse as parse_settings

D = timedelta(days=1)


def test_surgery_before_the_preop_check_or_discharge_before_surgery_is_refused(api):
    journey = api.scheduled_journey()
    before, events = api.case(journey), api.events(journey)
    surgery_date = date.fromisoformat(before["plan"]["surgery_date"])
    refused = [
        api.call("POST", f"/journeys/{journey}/surgery/operation", role="specialist",
                 json=_operation(surgery_date)),
        api.call("POST", f"/journeys/{journey}/surgery/ward-discharge", role="specialist",
                 json={"discharged_on": (surgery_date + 4 * D).isoformat()}),
        api.call("POST", f"/journeys/{journey}/surgery/ward-visits", role="specialist",
                 json={"visit_date": surgery_date.isoformat(), "slot": "morning", "note": "calm"}),
    ]
    assert [r.status_code for r in refused] == [409, 409, 409]
    assert api.case(journey) == before and api.events(journey) == events


def test_the_clinical_stay_runs_from_the_preop_check_to_the_hotel(api):
    journey = api.scheduled_journey()
    plan = api.case(journey)["plan"]
    surgery = date.fromisoformat(plan["surgery_date"])
    post = lambda path, body: api.call("POST", f"/journeys/{journey}/surgery/{path}", role="specialist",  # noqa: E731
                                       json=body)
    assert post("preop-check", {"fit": True}).json()["status"] == "ready_for_surgery"
    assert post("operation", _operation(surgery, complications=["bleeding"])).json()["status"] == "in_ward"
    for slot in ("morning", "evening"):
        assert post("ward-visits", {"visit_date": surgery.isoformat(), "slot": slot, "note": "stoma calm"}
                    ).status_code == 201
    assert post("ward-visits", {"visit_date": surgery.isoformat(), "slot": "morning", "note": "again"}
                ).status_code == 409
    no_image = post("ward-discharge", {"discharged_on": (surgery + 4 * D).isoformat()})
    assert no_image.status_code == 409 and "image" in no_image.json()["message"]
    assert post("images", {"reference": "PACS:ACC-123", "taken_on": surgery.isoformat()}).status_code == 201
    assert post("ward-discharge", {"discharged_on": (surgery + 2 * D).isoformat()}).status_code == 422
    discharged = post("ward-discharge", {"discharged_on": (surgery + 4 * D).isoformat()})
    assert discharged.status_code == 200 and discharged.json()["status"] == "discharged"
    case = discharged.json()
    assert [side["implant_lot"] for side in case["operations"]] == ["LOT-42"]
    assert len(case["ward_visits"]) == 2
    events = dict(api.events(journey))
    assert events["preop_check_recorded"]["fit"] is True
    assert events["surgery_performed"]["implant_serial"] == "SN-0001"
    assert events["surgery_performed"]["complications"] == ["bleeding"]
    assert events["ward_discharged"] == {
        "surgery_id": case["surgery_id"], "discharged_on": (surgery + 4 * D).isoformat(),
        "planned_rehab_end": plan["planned_rehab_end"], "departure_date": plan["departure_date"]}
    assert "stoma calm" not in str(api.events(journey))      # notes stay in the clinical record


def test_a_patient_found_not_fit_is_postponed_and_rescheduled(api):
    journey = api.scheduled_journey()
    checked_on = date.fromisoformat(api.case(journey)["plan"]["preop_check_date"])
    response = api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist",
                        json={"fit": False, "reason_code": "infection", "note": "raised CRP"})
    assert response.status_code == 200 and response.json()["status"] == "scheduled"
    new_date = date.fromisoformat(response.json()["plan"]["surgery_date"])
    assert new_date >= checked_on + parse_settings(api.config).not_fit_postpone_days * D
    kinds = [(kind, payload.get("reason_code")) for kind, payload in api.events(journey)]
    assert kinds[-2:] == [("preop_check_recorded", "infection"),
                          ("surgery_rescheduled", "not_fit_for_surgery")]


def _operation(day: date, complications=()):
    return {"performed_on": day.isoformat(), "sides": [{
        "side": "left", "implant_type": "OPRA", "implant_size": "16mm", "implant_lot": "LOT-42",
        "implant_serial": "SN-0001", "complications": list(complications)}]}


def test_a_patient_found_not_fit_in_the_country_gets_the_next_date_without_the_travel_lead(api, clinic_day):
    journey = api.scheduled_journey()
    before = api.case(journey)["plan"]
    checked_on = date.fromisoformat(before["preop_check_date"])
    clinic_day(checked_on)                       # the patient is at the hospital today
    response = api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist",
                        json={"fit": False, "reason_code": "infection"})
    assert response.status_code == 200, response.text
    case, settings = response.json(), parse_settings(api.config)
    new_date = date.fromisoformat(case["plan"]["surgery_date"])
    assert checked_on + settings.not_fit_postpone_days * D <= new_date
    assert new_date < checked_on + settings.rules.travel_lead_days * D   # no second travel lead
    assert case["plan"]["arrival_by"] == before["arrival_by"] == case["in_country_since"]
    [moved] = [payload for kind, payload in api.events(journey) if kind == "surgery_rescheduled"]
    assert moved["patient_in_country"] is True and moved["arrival_by"] == before["arrival_by"]
    assert (moved["surgery_date"], moved["departure_date"]) == (
        case["plan"]["surgery_date"], case["plan"]["departure_date"])


def test_a_planner_moving_a_surgery_before_the_patient_arrived_still_says_the_patient_is_not_here(api):
    journey = api.scheduled_journey()
    api.call("POST", f"/journeys/{journey}/surgery/reschedule", json={"reason_code": "surgeon_unavailable"})
    [moved] = [payload for kind, payload in api.events(journey) if kind == "surgery_rescheduled"]
    assert moved["patient_in_country"] is False


def test_a_bilateral_patient_has_one_operation_record_per_side_each_with_its_implant(api):
    journey = api.scheduled_journey(side="both")
    surgery = date.fromisoformat(api.case(journey)["plan"]["surgery_date"])
    post = lambda path, body: api.call("POST", f"/journeys/{journey}/surgery/{path}", role="specialist",  # noqa: E731
                                       json=body)
    assert post("preop-check", {"fit": True}).status_code == 200
    operated = post("operation", {"performed_on": surgery.isoformat(), "sides": [
        _side("left", "LOT-L", complications=["bleeding"]), _side("right", "LOT-R", serial="SN-R")]})
    assert operated.status_code == 200, operated.text
    assert [(s["side"], s["implant_lot"], s["implant_serial"], s["complications"])
            for s in operated.json()["operations"]] == [
        ("left", "LOT-L", None, ["bleeding"]), ("right", "LOT-R", "SN-R", [])]
    performed = dict(api.events(journey))["surgery_performed"]
    implants = [(i["side"], i["implant_lot"]) for i in performed["implants"]]
    assert implants == [("left", "LOT-L"), ("right", "LOT-R")]
    assert (performed["side"], performed["implant_lot"], performed["complications"]) == (
        "left", "LOT-L", ["bleeding"])


def test_a_side_that_was_not_amputated_cannot_be_operated(api):
    journey = api.scheduled_journey(side="left")
    surgery = api.case(journey)["plan"]["surgery_date"]
    api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist", json={"fit": True})
    refused = api.call("POST", f"/journeys/{journey}/surgery/operation", role="specialist",
                       json={"performed_on": surgery, "sides": [_side("right", "LOT-R")]})
    assert refused.status_code == 422 and "left side" in refused.json()["message"]
    assert api.case(journey)["status"] == "ready_for_surgery" and api.case(journey)["operations"] == []


def _side(side: str, lot: str, serial=None, complications=()):
    return {"side": side, "implant_type": "OPRA", "implant_size": "16mm", "implant_lot": lot,
            "implant_serial": serial, "complications": list(complications)}


def test_a_planner_moving_a_surgery_after_the_patient_arrived_needs_no_travel_lead(api, clinic_day):
    journey = api.scheduled_journey()
    before = api.case(journey)["plan"]
    today = date.fromisoformat(before["arrival_by"]) + D        # arrived, the pre-op check is today
    clinic_day(today)
    response = api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                        json={"reason_code": "surgeon_unavailable"})
    assert response.status_code == 200, response.text
    new_date = date.fromisoformat(response.json()["plan"]["surgery_date"])
    assert new_date < today + parse_settings(api.config).rules.travel_lead_days * D
    [moved] = [payload for kind, payload in api.events(journey) if kind == "surgery_rescheduled"]
    assert moved["patient_in_country"] is True and moved["arrival_by"] == before["arrival_by"]
