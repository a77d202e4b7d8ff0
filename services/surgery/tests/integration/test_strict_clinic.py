"""A strict clinic: an unpaid balance blocks the surgery, and a patient found not fit may find no
date within its horizon, so a planner books them."""
from datetime import date


def test_an_unpaid_balance_refuses_recording_the_patient_fit_until_payments_says_it_is_paid(strict_api):
    api = strict_api
    journey = api.scheduled_journey()
    api.payments_say(journey, "balance_due_dated", {"invoice_id": "inv-1", "balance_cents": 1_250_000,
                                                    "balance_due": "2027-03-08"})
    before, events = api.case(journey), api.events(journey)
    check = f"/journeys/{journey}/surgery/preop-check"
    refused = api.call("POST", check, role="specialist", json={"fit": True})
    assert refused.status_code == 409
    message = refused.json()["message"]
    assert message.lower().startswith("cannot record the patient fit for surgery: the balance of "
                                      "eur 12,500.00 (due 2027-03-08) is not paid")
    assert "policy" in message
    assert api.case(journey) == before and api.events(journey) == events
    assert before["warnings"][0]["code"] == "balance_unpaid"

    api.payments_say(journey, "invoice_paid", {"invoice_id": "inv-1", "paid_cents": 2_500_000})
    fit = api.call("POST", check, role="specialist", json={"fit": True})
    assert fit.status_code == 200 and fit.json()["status"] == "ready_for_surgery"
    surgery = date.fromisoformat(fit.json()["plan"]["surgery_date"])
    operated = api.call("POST", f"/journeys/{journey}/surgery/operation", role="specialist", json={
        "performed_on": surgery.isoformat(), "sides": [{"side": "left", "implant_type": "OPRA",
                                                        "implant_size": "16mm", "implant_lot": "LOT-1"}]})
    assert operated.status_code == 200, operated.text


def test_a_planner_booking_a_patient_already_here_announces_a_move_for_a_patient_in_the_country(
        strict_api, clinic_day):
    api = strict_api
    journey = api.scheduled_journey()           # the balance is unpaid: not fit is recorded all the same
    first = api.case(journey)["plan"]
    clinic_day(date.fromisoformat(first["preop_check_date"]))
    blocked = api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist",
                       json={"fit": False, "reason_code": "infection"})
    assert blocked.status_code == 200 and blocked.json()["status"] == "blocked"

    booked = api.call("POST", f"/journeys/{journey}/surgery/schedule", json={})
    assert booked.status_code == 200, booked.text
    assert booked.json()["plan"]["arrival_by"] == first["arrival_by"]
    kinds = [kind for kind, _ in api.events(journey)]
    assert kinds.count("surgery_scheduled") == 1 and kinds[-1] == "surgery_rescheduled"
    moved = api.events(journey)[-1][1]
    assert (moved["patient_in_country"], moved["reason_code"]) == (True, "not_fit_for_surgery")
