from datetime import date, timedelta

from services.travel.domain import itinerary as domain
from services.travel.domain.itinerary import Part, Plan
from services.travel.domain.retries import retry_delay

PLAN = Plan(arrival_by=date(2026, 5, 1), preop_check_date=date(2026, 5, 3), surgery_date=date(2026, 5, 4),
            planned_ward_discharge=date(2026, 5, 8), planned_rehab_end=date(2026, 6, 5),
            departure_date=date(2026, 6, 6))


def test_a_plan_needs_an_outbound_flight_a_hotel_for_every_night_outside_the_ward_and_a_return():
    parts = {p.name: p for p in domain.parts_for(PLAN, "LHR", "AMS")}
    assert parts["outbound"] == Part("outbound", date(2026, 5, 1), date(2026, 5, 1), "LHR", "AMS")
    assert (parts["hotel_preop"].start, parts["hotel_preop"].end) == (date(2026, 5, 1), date(2026, 5, 4))
    assert (parts["hotel_stay"].start, parts["hotel_stay"].end) == (date(2026, 5, 8), date(2026, 6, 6))
    assert parts["return"] == Part("return", date(2026, 6, 6), date(2026, 6, 6), "AMS", "LHR")


def test_without_a_home_airport_only_the_hotels_are_booked():
    assert [p.name for p in domain.parts_for(PLAN, None, "AMS")] == ["hotel_preop", "hotel_stay"]


def test_moving_the_surgery_changes_every_part_and_adds_or_removes_none():
    later = Plan(*(getattr(PLAN, f) + timedelta(days=14) for f in PLAN.__dataclass_fields__))
    current = {p.name: p for p in domain.parts_for(PLAN, "LHR", "AMS")}
    changes = domain.diff(current, domain.parts_for(later, "LHR", "AMS"))
    assert ([p.name for p in changes.change], changes.add, changes.remove) == (
        ["outbound", "hotel_preop", "hotel_stay", "return"], [], [])


def test_a_part_no_longer_wanted_is_removed_and_an_unchanged_one_is_left_alone():
    current = {p.name: p for p in domain.parts_for(PLAN, "LHR", "AMS")}
    changes = domain.diff(current, domain.parts_for(PLAN, None, "AMS"))
    assert (changes.add, changes.change, changes.remove) == ([], [], ["outbound", "return"])


def test_an_arrival_on_or_after_the_preop_check_day_breaks_the_plan():
    assert domain.schedule_conflict("outbound", date(2026, 5, 3), date(2026, 5, 3), PLAN) == \
        domain.ARRIVAL_AFTER_PREOP_CHECK
    assert domain.schedule_conflict("outbound", date(2026, 5, 2), date(2026, 5, 2), PLAN) is None


def test_a_return_before_rehabilitation_ends_breaks_the_plan_and_a_later_one_fits():
    assert domain.schedule_conflict("return", date(2026, 6, 4), date(2026, 6, 4), PLAN) == \
        domain.RETURN_BEFORE_REHAB_END
    assert domain.schedule_conflict("return", date(2026, 6, 7), date(2026, 6, 7), PLAN) is None


def test_a_flight_is_booked_as_asked_when_it_leaves_on_the_day_and_a_hotel_when_both_nights_match():
    flight = Part("outbound", date(2026, 5, 1), date(2026, 5, 1), "LHR", "AMS")
    hotel = Part("hotel_stay", date(2026, 5, 8), date(2026, 6, 6))
    assert domain.fulfils(flight, date(2026, 5, 1), date(2026, 5, 2))   # overnight arrival
    assert not domain.fulfils(flight, date(2026, 4, 30), date(2026, 5, 1))
    assert not domain.fulfils(hotel, date(2026, 5, 8), date(2026, 6, 5))


def test_the_desks_airport_wins_over_the_countrys_default():
    airports = {"GB": "LHR"}
    assert domain.home_airport("gb", None, airports) == "LHR"
    assert domain.home_airport("GB", "man", airports) == "MAN"
    assert domain.home_airport("XX", None, airports) is None


def test_the_return_cannot_move_before_rehabilitation_ends_or_into_the_ward_stay():
    assert domain.departure_problems(PLAN, date(2026, 6, 4))
    assert domain.departure_problems(PLAN, date(2026, 5, 8))
    assert domain.departure_problems(PLAN, date(2026, 6, 5)) == {}


def test_retries_back_off_exponentially_up_to_a_cap():
    assert [retry_delay(n, 2, 3, 30) for n in (1, 2, 3, 4)] == [2, 6, 18, 30]
