"""A patient kept in the country, and hotels that change on their own, on the real broker."""
from datetime import timedelta

from services.travel.tests.integration.conftest import plan
from shared.clock import ClinicClock
from shared.testing.infra import wait_for

DAY = timedelta(days=1)


def iso(day) -> str:
    return day.isoformat()


def by_part(orders: list[dict]) -> dict[str, dict]:
    return {order["part"]: order for order in orders}


def test_a_patient_not_fit_in_the_country_keeps_the_flown_outbound_stays_on_at_the_hotel_and_flies_later(env):
    arrived = ClinicClock().today() - 2 * DAY   # flew in two days ago; the pre-op check is today
    journey, first = env.confirmed(the_plan=plan(start=arrived))
    before = by_part(env.orders(journey)["orders"])
    week = 7 * DAY
    later = dict(first, surgery_id=first["surgery_id"], preop_check_date=first["preop_check_date"] + week,
                 surgery_date=first["surgery_date"] + week,
                 planned_ward_discharge=first["planned_ward_discharge"] + week,
                 planned_rehab_end=first["planned_rehab_end"] + week,
                 departure_date=first["departure_date"] + week)
    env.publish("surgery", "surgery_rescheduled", dict(later, reason_code="not_fit", patient_in_country=True),
                journey)

    confirmed = env.wait_event(journey, "itinerary_confirmed", count=2)["payload"]
    assert (confirmed["arrival_date"], confirmed["departure_date"]) == (
        iso(arrived), iso(later["departure_date"]))
    after = by_part(env.orders(journey)["orders"])
    assert after["outbound"] == before["outbound"]              # untouched: never asked to change
    assert (after["hotel_preop"]["check_in"], after["hotel_preop"]["check_out"]) == (
        iso(arrived), iso(later["surgery_date"]))
    assert (after["hotel_stay"]["check_in"], after["hotel_stay"]["check_out"]) == (
        iso(later["planned_ward_discharge"]), iso(later["departure_date"]))
    assert after["return"]["departs_on"] == iso(later["departure_date"])
    view = env.itinerary(journey)
    assert [h["part"] for h in view["history"] if h["code"] == "change_requested"] == [
        "hotel_preop", "hotel_stay", "return"]
    assert (view["surgery_date"], view["departure_date"], view["conflicts"]) == (
        iso(later["surgery_date"]), iso(later["departure_date"]), [])


def test_a_surgery_moved_after_the_patient_flew_in_never_changes_the_flown_flight(env):
    arrived = ClinicClock().today() - DAY
    journey, first = env.confirmed(the_plan=plan(start=arrived))
    outbound = by_part(env.orders(journey)["orders"])["outbound"]
    env.publish("surgery", "surgery_rescheduled", dict(plan(start=arrived, shift=10), reason_code="theatre"),
                journey)
    env.wait_event(journey, "itinerary_confirmed", count=2)
    after = by_part(env.orders(journey)["orders"])
    assert after["outbound"] == outbound and after["hotel_preop"]["check_in"] == iso(arrived)


def test_a_hotel_that_shortens_the_stay_is_a_conflict_naming_the_nights_left_without_a_room(env):
    journey, the_plan = env.confirmed()
    stay = by_part(env.orders(journey)["orders"])["hotel_stay"]
    env.sandbox_post(f"/_sandbox/orders/{stay['order_id']}/schedule-change", {"check_out_days": -3})
    conflict = env.wait_event(journey, "travel_conflict_detected")["payload"]
    assert (conflict["conflict_code"], conflict["part"]) == ("hotel_nights_uncovered", "hotel_stay")
    [shown] = env.itinerary(journey)["conflicts"]
    departure = the_plan["departure_date"]
    assert shown["details"] == {"first_night": iso(departure - 3 * DAY), "last_night": iso(departure - DAY),
                                "nights": 3}


def test_a_hotel_that_extends_the_stay_leaves_no_night_uncovered_and_raises_nothing(env):
    journey, _ = env.confirmed()
    stay = by_part(env.orders(journey)["orders"])["hotel_stay"]
    env.sandbox_post(f"/_sandbox/orders/{stay['order_id']}/schedule-change", {"check_out_days": 2})
    wait_for(lambda: any(h["code"] == "schedule_changed" and h["details"]["fits"]
                         for h in env.itinerary(journey)["history"]))
    assert env.itinerary(journey)["conflicts"] == []


def test_a_hotel_that_cancels_on_its_own_is_a_conflict_for_every_night_of_its_stay(env):
    journey, the_plan = env.confirmed()
    preop = by_part(env.orders(journey)["orders"])["hotel_preop"]
    env.sandbox_post(f"/_sandbox/orders/{preop['order_id']}/supplier-cancellation", {})
    conflict = env.wait_event(journey, "travel_conflict_detected")["payload"]
    assert (conflict["conflict_code"], conflict["part"]) == ("hotel_nights_uncovered", "hotel_preop")
    [shown] = env.itinerary(journey)["conflicts"]
    assert (shown["details"]["first_night"], shown["details"]["nights"]) == (
        iso(the_plan["arrival_by"]), (the_plan["surgery_date"] - the_plan["arrival_by"]).days)
