"""A clinic whose policy is that an unpaid balance blocks the surgery."""
from datetime import date


def test_an_unpaid_balance_refuses_recording_the_patient_fit_until_payments_says_it_is_paid(blocking_api):
    api = blocking_api
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
    not_fit = api.call("POST", check, role="specialist", json={"fit": False, "reason_code": "infection"})
    assert not_fit.status_code == 200 and not_fit.json()["status"] == "scheduled"   # postponed all the same

    api.payments_say(journey, "invoice_paid", {"invoice_id": "inv-1", "paid_cents": 2_500_000})
    fit = api.call("POST", check, role="specialist", json={"fit": True})
    assert fit.status_code == 200 and fit.json()["status"] == "ready_for_surgery"
    surgery = date.fromisoformat(fit.json()["plan"]["surgery_date"])
    operated = api.call("POST", f"/journeys/{journey}/surgery/operation", role="specialist", json={
        "performed_on": surgery.isoformat(), "sides": [{"side": "left", "implant_type": "OPRA",
                                                        "implant_size": "16mm", "implant_lot": "LOT-1"}]})
    assert operated.status_code == 200, operated.text

