"""Planners through the API: reschedule, cancel, the operating calendar, who may act."""
import uuid
from datetime import date, timedelta

from services.surgery.tests.integration.support import tapped
from shared.clock import clinic_clock
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for

D = timedelta(days=1)


def test_a_planner_moves_a_surgery_with_a_reason_and_it_is_announced_once(api):
    journey = api.scheduled_journey()
    tap = EventTap(api.config["AMQP_URI"], "surgery")
    before = api.case(journey)["plan"]["surgery_date"]
    response = api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                        json={"reason_code": "surgeon_unavailable"})
    assert response.status_code == 200, response.text
    plan = response.json()["plan"]
    assert plan["surgery_date"] > before and plan["preop_check_date"] < plan["surgery_date"]
    [moved] = [payload for kind, payload in api.events(journey) if kind == "surgery_rescheduled"]
    assert moved["reason_code"] == "surgeon_unavailable" and moved["surgery_date"] == plan["surgery_date"]
    wait_for(lambda: tapped(tap, journey, "surgery_rescheduled"))
    assert len(tapped(tap, journey, "surgery_rescheduled")) == 1
    days = {day["date"]: day for day in api.call("GET", "/surgery/calendar", params={
        "start": before, "end": plan["surgery_date"]}).json()}
    assert journey in days[plan["surgery_date"]]["journeys"] and journey not in days[before]["journeys"]
    tap.close()


def test_a_date_that_breaks_a_constraint_is_refused_and_changes_nothing(api):
    journey = api.scheduled_journey()
    before, events = api.case(journey), api.events(journey)
    surgery = date.fromisoformat(before["plan"]["surgery_date"])
    sunday = surgery + (6 - surgery.weekday()) * D
    today = clinic_clock(api.config).today()   # the clinic's, as the service counts the lead time
    for asked, reason in ((sunday, "not_an_operating_day"), (today, "travel_lead_time"),
                          (surgery, "unchanged")):
        response = api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                            json={"reason_code": "patient_request", "surgery_date": asked.isoformat()})
        assert response.status_code == 422
        assert response.json()["fields"]["surgery_date"] == [reason]
    assert api.case(journey) == before and api.events(journey) == events


def test_a_cancelled_surgery_is_announced_once_and_every_later_action_is_refused(api):
    journey = api.scheduled_journey()
    surgery_date = api.case(journey)["plan"]["surgery_date"]
    cancel = api.call("POST", f"/journeys/{journey}/surgery/cancel", json={"reason_code": "patient_withdrew"})
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    after, events = api.case(journey), api.events(journey)
    refused = [
        api.call("POST", f"/journeys/{journey}/surgery/cancel", json={"reason_code": "other"}),
        api.call("POST", f"/journeys/{journey}/surgery/reschedule", json={"reason_code": "patient_request"}),
        api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist", json={"fit": True}),
        api.call("POST", f"/journeys/{journey}/surgery/ward-discharge", role="specialist",
                 json={"discharged_on": surgery_date}),
    ]
    assert [r.status_code for r in refused] == [409] * 4
    assert "cancelled" in refused[1].json()["message"]
    assert api.case(journey) == after and api.events(journey) == events
    assert [kind for kind, _ in events].count("surgery_cancelled") == 1
    day = api.call("GET", "/surgery/calendar", params={"start": surgery_date, "end": surgery_date}).json()[0]
    assert journey not in day["journeys"]


def test_the_operating_calendar_shows_booked_free_and_closed_days(api):
    journey = api.scheduled_journey()
    day = api.case(journey)["plan"]["surgery_date"]
    calendar = {d["date"]: d for d in api.call("GET", "/surgery/calendar", params={
        "start": day, "end": (date.fromisoformat(day) + 7 * D).isoformat()}).json()}
    assert calendar[day]["status"] == "booked" and journey in calendar[day]["journeys"]
    assert {d["status"] for d in calendar.values()} >= {"booked", "closed"}
    kings_day = api.call("GET", "/surgery/calendar", params={"start": "2027-04-26", "end": "2027-04-29"},
                         role="specialist").json()
    assert [(d["status"], d["closed_reason"]) for d in kings_day] == [
        ("free", None), ("closed", "closed_day"), ("free", None), ("free", None)]
    too_long = api.call("GET", "/surgery/calendar", params={"start": "2027-01-01", "end": "2028-06-01"})
    assert too_long.status_code == 422


def test_only_planners_and_surgeons_act_and_bad_input_is_refused(api):
    journey = api.scheduled_journey()
    assert api.call("GET", f"/journeys/{journey}/surgery", role="finance").status_code == 403
    assert api.call("POST", f"/journeys/{journey}/surgery/reschedule", role="physiotherapist",
                    json={"reason_code": "other"}).status_code == 403
    assert api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="planner",
                    json={"fit": True}).status_code == 403
    assert api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                    json={"reason_code": "because_i_said_so"}).status_code == 422
    assert api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist",
                    json={"fit": False}).status_code == 422
    assert api.call("GET", f"/journeys/{uuid.uuid4()}/surgery").status_code == 404
    assert api.case(journey)["status"] == "scheduled"


def test_the_planner_sees_a_surgery_resting_on_a_disputed_payment_until_the_dispute_closes(api):
    journey = api.scheduled_journey()
    day = api.case(journey)["plan"]["surgery_date"]
    api.payments_say(journey, "payment_disputed", {"invoice_id": "inv-1", "dispute_id": "dp_1",
                                                   "amount_cents": 1_250_000,
                                                   "evidence_due_by": "2027-01-15T12:00:00+00:00"})
    case = api.case(journey)
    assert case["payment"]["disputed"] is True
    assert case["payment"]["disputes"] == [{
        "dispute_id": "dp_1", "invoice_id": "inv-1", "amount_cents": 1_250_000,
        "evidence_due_by": "2027-01-15T12:00:00+00:00", "outcome": None}]
    assert "payment_disputed" in [warning["code"] for warning in case["warnings"]]
    assert _calendar_day(api, day)["disputed_journeys"] == [journey]
    api.payments_say(journey, "payment_dispute_closed", {"invoice_id": "inv-1", "dispute_id": "dp_1",
                                                         "outcome": "won", "amount_cents": 1_250_000})
    case = api.case(journey)
    assert case["payment"]["disputed"] is False and case["payment"]["disputes"][0]["outcome"] == "won"
    assert "payment_disputed" not in [warning["code"] for warning in case["warnings"]]
    assert _calendar_day(api, day)["disputed_journeys"] == []


def test_a_dispute_closed_before_its_opening_arrives_stays_closed(api):
    journey = api.scheduled_journey()
    api.payments_say(journey, "payment_dispute_closed", {"invoice_id": "inv-1", "dispute_id": "dp_2",
                                                         "outcome": "lost", "amount_cents": 500})
    api.payments_say(journey, "payment_disputed", {"invoice_id": "inv-1", "dispute_id": "dp_2",
                                                   "amount_cents": 500,
                                                   "evidence_due_by": "2027-01-15T12:00:00+00:00"})
    assert api.case(journey)["payment"]["disputed"] is False


def test_the_preop_check_shows_an_unpaid_balance_and_the_warn_policy_lets_surgery_go_ahead(api):
    journey = api.scheduled_journey()
    api.payments_say(journey, "balance_due_dated", {"invoice_id": "inv-1", "balance_cents": 1_250_000,
                                                    "balance_due": "2027-03-08"})
    case = api.case(journey)
    assert (case["payment"]["balance_paid"], case["payment"]["balance_cents"], case["payment"]["balance_due"],
            case["payment"]["unpaid_balance_policy"]) == (False, 1_250_000, "2027-03-08", "warn")
    fit = api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist", json={"fit": True})
    assert fit.status_code == 200 and fit.json()["status"] == "ready_for_surgery"
    [warning] = fit.json()["warnings"]
    assert warning["code"] == "balance_unpaid" and "EUR 12,500.00" in warning["message"]
    api.payments_say(journey, "invoice_paid", {"invoice_id": "inv-1", "paid_cents": 2_500_000})
    case = api.case(journey)
    assert case["payment"]["balance_paid"] is True and case["warnings"] == []


def _calendar_day(api, day: str) -> dict:
    [found] = api.call("GET", "/surgery/calendar", params={"start": day, "end": day}).json()
    return found
