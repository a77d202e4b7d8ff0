"""Moving a plan keeps what has happened; a stay's nights must each have a bed."""
from datetime import date, timedelta

from services.travel.domain import itinerary as domain
from services.travel.domain.itinerary import Part, Plan
from services.travel.tests.unit.test_domain import PLAN

CURRENT = {p.name: p for p in domain.parts_for(PLAN, "LHR", "AMS")}
# Not fit at the pre-op check (3 May): surgery a week later, the patient stays (arrived 1 May).
POSTPONED = Plan(arrival_by=date(2026, 5, 1), preop_check_date=date(2026, 5, 10),
                 surgery_date=date(2026, 5, 11), planned_ward_discharge=date(2026, 5, 15),
                 planned_rehab_end=date(2026, 6, 12), departure_date=date(2026, 6, 13))


def by_name(parts: list[Part]) -> dict[str, tuple[date, date]]:
    return {p.name: (p.start, p.end) for p in parts}


def test_a_patient_postponed_in_the_country_keeps_the_outbound_flight_and_stays_on_at_the_hotel():
    parts = domain.replan_parts(POSTPONED, "LHR", "AMS", CURRENT, today=date(2026, 5, 3), in_country=True)
    assert by_name(parts) == {"outbound": (date(2026, 5, 1), date(2026, 5, 1)),
                              "hotel_preop": (date(2026, 5, 1), date(2026, 5, 11)),
                              "hotel_stay": (date(2026, 5, 15), date(2026, 6, 13)),
                              "return": (date(2026, 6, 13), date(2026, 6, 13))}
    changes = domain.diff(CURRENT, parts)
    assert sorted(p.name for p in changes.change) == ["hotel_preop", "hotel_stay", "return"]


def test_a_flight_that_has_departed_is_never_changed_even_without_the_in_country_fact():
    later = Plan(*(getattr(PLAN, f) + timedelta(days=14) for f in PLAN.__dataclass_fields__))
    parts = domain.replan_parts(later, "LHR", "AMS", CURRENT, today=date(2026, 5, 2))
    assert by_name(parts)["outbound"] == (date(2026, 5, 1), date(2026, 5, 1))
    assert by_name(parts)["hotel_preop"] == (date(2026, 5, 1), later.surgery_date)


def test_before_the_patient_travels_every_part_moves_with_the_plan():
    later = Plan(*(getattr(PLAN, f) + timedelta(days=14) for f in PLAN.__dataclass_fields__))
    parts = domain.replan_parts(later, "LHR", "AMS", CURRENT, today=date(2026, 4, 1))
    assert parts == domain.parts_for(later, "LHR", "AMS")


def test_a_return_flight_already_flown_is_neither_moved_nor_cancelled():
    later = Plan(*(getattr(PLAN, f) + timedelta(days=3) for f in PLAN.__dataclass_fields__))
    parts = domain.replan_parts(later, "LHR", "AMS", CURRENT, today=date(2026, 6, 10))
    assert by_name(parts)["return"] == (date(2026, 6, 6), date(2026, 6, 6))


def test_every_night_outside_the_ward_has_a_hotel_or_is_named_uncovered():
    hotels = [(p.start, p.end) for p in CURRENT.values() if p.kind == domain.HOTEL]
    assert domain.uncovered_nights(PLAN, hotels) == []
    shortened = [(date(2026, 5, 1), date(2026, 5, 4)), (date(2026, 5, 8), date(2026, 6, 3))]
    assert domain.uncovered_nights(PLAN, shortened) == [date(2026, 6, 3), date(2026, 6, 4), date(2026, 6, 5)]
    assert domain.uncovered_nights(PLAN, hotels[:1]) == [
        date(2026, 5, 8) + timedelta(days=n) for n in range(29)]
