"""The itinerary on the real broker, with the sandbox agency over HTTP."""
from datetime import timedelta

from services.travel.tests.integration.conftest import plan
from shared.testing.infra import wait_for

FEES = {"flight": 7500, "hotel": 2500}


def iso(day) -> str:
    return day.isoformat()


def test_a_scheduled_surgery_gets_flights_and_hotels_confirmed_by_the_agency(env):
    journey, the_plan = env.schedule()
    confirmed = env.wait_event(journey, "itinerary_confirmed")["payload"]
    assert (confirmed["arrival_date"], confirmed["departure_date"]) == (
        iso(the_plan["arrival_by"]), iso(the_plan["departure_date"]))
    requested = env.events(journey, "itinerary_requested")[0]["payload"]
    assert requested["itinerary_id"] == confirmed["itinerary_id"]
    orders = {o["part"]: o for o in env.orders(journey)["orders"]}
    assert {part: o["status"] for part, o in orders.items()} == {
        "outbound": "confirmed", "hotel_preop": "confirmed", "hotel_stay": "confirmed", "return": "confirmed"}
    outbound = orders["outbound"]
    assert (outbound["origin"], outbound["departs_on"]) == ("LHR", iso(the_plan["arrival_by"]))
    assert (orders["hotel_stay"]["check_in"], orders["hotel_stay"]["check_out"]) == (
        iso(the_plan["planned_ward_discharge"]), iso(the_plan["departure_date"]))
    calls = env.orders(journey)["calls"]
    assert len(calls) == 4 and all(c["idempotency_key"] and c["outcome"] == "accepted" for c in calls)


def test_a_rescheduled_surgery_moves_every_booking_and_leaves_none_dangling(env):
    journey, _ = env.confirmed()
    later = plan(shift=14)
    env.publish("surgery", "surgery_rescheduled", dict(later, reason_code="not_fit"), journey)
    confirmed = env.wait_event(journey, "itinerary_confirmed", count=2)["payload"]
    assert confirmed["arrival_date"] == iso(later["arrival_by"])
    orders = env.orders(journey)["orders"]
    assert len(orders) == 4 and all(o["status"] == "confirmed" for o in orders)
    dates = {o["part"]: o.get("departs_on") or (o["check_in"], o["check_out"]) for o in orders}
    assert dates == {"outbound": iso(later["arrival_by"]), "return": iso(later["departure_date"]),
                     "hotel_preop": (iso(later["arrival_by"]), iso(later["surgery_date"])),
                     "hotel_stay": (iso(later["planned_ward_discharge"]), iso(later["departure_date"]))}
    assert len(env.events(journey, "itinerary_change_requested")) == 1
    assert {b["status"] for b in env.itinerary(journey)["bookings"]} == {"confirmed"}


def test_a_cancelled_surgery_cancels_every_booking_and_records_the_cost(env):
    journey, _ = env.confirmed()
    env.publish("surgery", "surgery_cancelled", {"reason_code": "patient_withdrew"}, journey)
    cancelled = env.wait_event(journey, "itinerary_cancelled")["payload"]
    orders = env.orders(journey)["orders"]
    assert {o["status"] for o in orders} == {"cancelled"}
    assert cancelled["cost_cents"] == sum(FEES[o["kind"]] for o in orders) == 20000
    assert env.itinerary(journey)["status"] == "cancelled"


def test_an_airline_change_that_breaks_the_plan_raises_one_conflict_even_when_delivered_twice(env):
    journey, the_plan = env.confirmed()
    env.switches(duplicates=True)
    outbound = next(o for o in env.orders(journey)["orders"] if o["part"] == "outbound")
    env.sandbox_post(f"/_sandbox/orders/{outbound['order_id']}/schedule-change", {"days": 2})
    conflict = env.wait_event(journey, "travel_conflict_detected")["payload"]
    assert (conflict["conflict_code"], conflict["part"]) == ("arrival_after_preop_check", "outbound")
    env.wait_delivered(outbound["order_id"], "order.schedule_changed", copies=2)
    view = env.itinerary(journey)
    assert [(c["code"], c["details"]["end"]) for c in view["conflicts"]] == [
        ("arrival_after_preop_check", iso(the_plan["preop_check_date"]))]
    assert [h["code"] for h in view["history"]].count("schedule_changed") == 1
    assert len(env.events(journey, "travel_conflict_detected")) == 1


def test_an_airline_change_that_still_fits_is_recorded_without_a_conflict(env):
    journey, the_plan = env.confirmed()
    back = next(o for o in env.orders(journey)["orders"] if o["part"] == "return")
    env.sandbox_post(f"/_sandbox/orders/{back['order_id']}/schedule-change", {"days": 1})
    entry = wait_for(lambda: next((h for h in env.itinerary(journey)["history"]
                                   if h["code"] == "schedule_changed"), None))
    assert entry["details"] == {"start": iso(the_plan["departure_date"] + timedelta(days=1)),
                                "end": iso(the_plan["departure_date"] + timedelta(days=1)), "fits": True}
    assert env.itinerary(journey)["conflicts"] == []
    assert env.events(journey, "travel_conflict_detected") == []


def test_duplicated_and_reordered_deliveries_still_confirm_the_itinerary_once(env):
    env.switches(duplicates=True, reorder=True)
    journey, _ = env.confirmed()
    for order in env.orders(journey)["orders"]:
        env.wait_delivered(order["order_id"], "order.confirmed", copies=2)
    view = env.itinerary(journey)
    assert [h["code"] for h in view["history"]].count("booking_confirmed") == 4
    assert len(env.events(journey, "itinerary_confirmed")) == 1
