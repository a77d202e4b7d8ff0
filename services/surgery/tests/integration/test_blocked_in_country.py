"""A patient postponed in the country for whom no date fits waits for a planner; the planner's
booking is then a move of the surgery travel already arranged, not a first one."""
from datetime import date


def test_a_planner_booking_a_patient_already_here_announces_a_move_for_a_patient_in_the_country(
        short_horizon_api, clinic_day):
    api = short_horizon_api
    journey = api.scheduled_journey()
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
