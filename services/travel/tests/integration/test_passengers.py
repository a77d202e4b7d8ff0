"""The passenger's identity: asked of enquiries at booking, sent to the agency, kept nowhere in travel."""
import json

from sqlalchemy import select

from services.travel import models
from services.travel.tests.integration.conftest import PASSENGER, WITHOUT_PASSENGER
from shared.testing.infra import wait_for


def everything_travel_stored(env) -> str:
    """Every row of every travel table, as text."""
    with env.store.session() as session:
        rows = [row for table in models.Base.metadata.sorted_tables
                for row in session.execute(select(table)).all()]
    return json.dumps([list(row) for row in rows], default=str)


def test_every_order_names_the_passenger_as_on_the_passport_and_travel_keeps_none_of_it(env):
    journey, _ = env.confirmed()
    orders = env.orders(journey)["orders"]
    assert len(orders) == 4 and all(order["passenger"] == PASSENGER for order in orders)
    stored = everything_travel_stored(env)
    assert journey in stored
    assert PASSENGER["surname"] not in stored and PASSENGER["given_names"] not in stored


def test_missing_passenger_details_are_a_conflict_for_the_desk_and_booking_goes_on_once_recorded(env):
    journey = env.new_journey()
    WITHOUT_PASSENGER.add(journey)
    env.schedule(journey=journey)
    conflict = env.wait_event(journey, "travel_conflict_detected")["payload"]
    assert (conflict["conflict_code"], conflict["part"]) == ("passenger_details_missing", None)
    desk = env.api("GET", "/travel/desk").json()
    assert [(t["code"], t["details"]) for t in desk if t["journey_id"] == journey] == [
        ("passenger_details_missing", {"missing": ["given_names", "surname"]})]
    assert env.orders(journey)["orders"] == [] and env.orders(journey)["calls"] == []

    WITHOUT_PASSENGER.discard(journey)
    env.publish("enquiries", "passenger_identity_recorded", {"enquiry_id": "e1"}, journey)
    env.wait_event(journey, "itinerary_confirmed")
    assert wait_for(lambda: env.itinerary(journey)["conflicts"] == [])
    assert len(env.orders(journey)["orders"]) == 4
    assert len(env.events(journey, "travel_conflict_detected")) == 1


def test_a_surgery_cancelled_while_the_passenger_is_unknown_cancels_the_travel_with_nothing_booked(env):
    journey = env.new_journey()
    WITHOUT_PASSENGER.add(journey)
    env.schedule(journey=journey)
    env.wait_event(journey, "travel_conflict_detected")
    env.publish("surgery", "surgery_cancelled", {"reason_code": "patient_withdrew"}, journey)
    assert env.wait_event(journey, "itinerary_cancelled")["payload"]["cost_cents"] == 0
    view = env.itinerary(journey)
    assert (view["status"], view["conflicts"], env.orders(journey)["calls"]) == ("cancelled", [], [])
