"""What the travel desk sees and does: refused compensations, phone bookings, a moved return."""
from datetime import timedelta

from services.travel.tests.integration.conftest import RETRY, plan
from shared.testing.infra import wait_for


def desk_tasks(env, journey: str, code: str) -> list[dict]:
    response = env.api("GET", "/travel/desk")
    assert response.status_code == 200, response.text
    return [t for t in response.json() if t["journey_id"] == journey and t["code"] == code]


def test_a_cancellation_the_agency_keeps_refusing_becomes_a_task_for_the_desk_after_its_retries(env):
    journey, _ = env.confirmed()
    env.switches(refuse_cancel=True)
    env.publish("surgery", "surgery_cancelled", {"reason_code": "patient_withdrew"}, journey)
    tasks = wait_for(lambda: len(found := desk_tasks(env, journey, "cancellation_failed")) == 4 and found)
    assert {t["part"] for t in tasks} == {"outbound", "hotel_preop", "hotel_stay", "return"}
    assert all(t["details"]["attempts"] == RETRY["attempts"] for t in tasks)
    refused = [c for c in env.orders(journey)["calls"] if c["action"] == "cancel"]
    assert len(refused) == 4 * RETRY["attempts"] and {c["outcome"] for c in refused} == {"refused"}
    assert len(env.events(journey, "travel_desk_task_opened")) == 4
    assert env.events(journey, "itinerary_cancelled") == []
    for task in tasks:   # the desk cancels by phone and records what it cost
        response = env.api("POST", f"/travel/journeys/{journey}/tasks/{task['id']}/resolve",
                           json={"cost_cents": 1000})
        assert response.status_code == 200, response.text
    assert env.wait_event(journey, "itinerary_cancelled")["payload"]["cost_cents"] == 4000
    resolved = [e["payload"] for e in env.events(journey, "travel_desk_task_resolved")]
    assert sorted((r["kind"], r["code"], r["part"], r["by_desk"]) for r in resolved) == sorted(
        ("task", "cancellation_failed", t["part"], True) for t in tasks)   # each announced once


def test_parts_the_agency_cannot_book_are_entered_by_the_desk_after_a_phone_call(env):
    env.switches(refuse_book=True)
    journey, the_plan = env.schedule()
    failed = wait_for(lambda: len(found := desk_tasks(env, journey, "booking_failed")) == 4 and found)
    day = the_plan["arrival_by"]
    entries = {"outbound": {"start": day, "origin": "LHR", "destination": "AMS"},
               "hotel_preop": {"start": day, "end": the_plan["surgery_date"]},
               "hotel_stay": {"start": the_plan["planned_ward_discharge"], "end": the_plan["departure_date"]},
               "return": {"start": the_plan["departure_date"], "origin": "AMS", "destination": "LHR"}}
    for part, entry in entries.items():
        body = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in entry.items()}
        response = env.api("POST", f"/travel/journeys/{journey}/bookings",
                           json=dict(body, part=part, confirmation_code="PHONE1"))
        assert response.status_code == 201, response.text
    env.wait_event(journey, "itinerary_confirmed")
    view = env.itinerary(journey)
    assert {b["source"] for b in view["bookings"] if b["current"]} == {"phone"}
    assert view["tasks"] == [] and len(failed) == 4


def test_a_part_booked_through_the_agency_cannot_be_overwritten_by_a_phone_entry(env):
    journey, the_plan = env.confirmed()
    response = env.api("POST", f"/travel/journeys/{journey}/bookings", json={
        "part": "return", "confirmation_code": "X", "start": the_plan["departure_date"].isoformat()})
    assert (response.status_code, response.json()["error"]) == (409, "conflict")


def test_rehabilitation_ending_late_tells_the_desk_which_moves_the_return_flight(env):
    journey, the_plan = env.confirmed()
    late = the_plan["planned_rehab_end"] + timedelta(days=5)
    env.publish("rehabilitation", "rehab_completed", {
        "plan_id": "p1", "completed_on": late.isoformat(),
        "planned_end": the_plan["planned_rehab_end"].isoformat()}, journey)
    task = wait_for(lambda: desk_tasks(env, journey, "rehab_end_changed"))[0]
    assert task["details"]["completed_on"] == late.isoformat()
    too_early = env.api("POST", f"/travel/journeys/{journey}/return",
                        json={"departure_date": the_plan["departure_date"].isoformat()})
    assert too_early.status_code == 422
    new_day = late + timedelta(days=1)
    moved = env.api("POST", f"/travel/journeys/{journey}/return",
                    json={"departure_date": new_day.isoformat()})
    assert moved.status_code == 200, moved.text
    confirmed = env.wait_event(journey, "itinerary_confirmed", count=2)["payload"]
    assert confirmed["departure_date"] == new_day.isoformat()
    orders = {o["part"]: o for o in env.orders(journey)["orders"]}
    assert (orders["return"]["departs_on"], orders["hotel_stay"]["check_out"]) == (new_day.isoformat(),) * 2
    assert len(orders) == 4 and desk_tasks(env, journey, "rehab_end_changed") == []


def test_a_patient_from_a_country_without_a_default_airport_flies_once_the_desk_sets_one(env):
    journey, the_plan = env.schedule(country="XX")
    wait_for(lambda: desk_tasks(env, journey, "home_airport_unknown"))
    wait_for(lambda: len(env.orders(journey)["orders"]) == 2)   # the hotels go ahead
    response = env.api("PUT", f"/travel/journeys/{journey}/home-airport", json={"airport": "tls"})
    assert response.status_code == 200, response.text
    env.wait_event(journey, "itinerary_confirmed")
    outbound = next(o for o in env.orders(journey)["orders"] if o["part"] == "outbound")
    assert (outbound["origin"], outbound["departs_on"]) == ("TLS", the_plan["arrival_by"].isoformat())
    assert desk_tasks(env, journey, "home_airport_unknown") == []


def test_an_erasure_request_is_confirmed_by_travel(env):
    journey, _ = env.schedule()
    env.publish("journey", "erasure_requested", {"request_id": "r1"}, journey)
    confirmed = env.wait_event(journey, "erasure_confirmed")["payload"]
    assert (confirmed["request_id"], confirmed["service"], confirmed["erased"]) == ("r1", "travel", True)


def test_a_change_the_agency_refuses_becomes_a_task_until_a_later_change_goes_through(env):
    journey, _ = env.confirmed()
    env.switches(refuse_change=True)
    env.publish("surgery", "surgery_rescheduled", dict(plan(shift=7), reason_code="capacity"), journey)
    tasks = wait_for(lambda: len(found := desk_tasks(env, journey, "change_failed")) == 4 and found)
    assert all(t["details"]["reason"] == "refused" for t in tasks)
    view = env.itinerary(journey)
    assert not view["confirmed"] and {b["status"] for b in view["bookings"]} == {"failed"}
    assert len(env.orders(journey)["orders"]) == 4   # nothing booked twice while it failed
    env.switches(refuse_change=False)
    env.publish("surgery", "surgery_rescheduled", dict(plan(shift=9), reason_code="capacity"), journey)
    assert env.wait_event(journey, "itinerary_confirmed", count=2)["payload"]["arrival_date"] == \
        plan(shift=9)["arrival_by"].isoformat()
    orders = env.orders(journey)["orders"]
    assert len(orders) == 4 and {o["status"] for o in orders} == {"confirmed"}
    assert desk_tasks(env, journey, "change_failed") == []
