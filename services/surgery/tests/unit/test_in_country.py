"""A patient already in the Netherlands (postponed at the pre-op check) needs no travel lead."""
from datetime import date, timedelta

from services.surgery.domain.calendar import (
    IN_COUNTRY_LEAD,
    Calendar,
    Load,
    Patient,
    StayRules,
    blocker,
    first_available,
)

RULES = StayRules(travel_lead_days=21, in_country_min_lead_days=2, horizon_days=120)
CHECKED_ON = date(2027, 3, 22)      # a Monday: the pre-op check found the patient not fit
ARRIVED = date(2027, 3, 21)
D = timedelta(days=1)


def calendar(**changes) -> Calendar:
    return Calendar(**{**dict(operating_weekdays=frozenset({0, 1, 2, 3}), surgeries_per_day=2, ward_beds=8,
                              closed_days=frozenset()), **changes})


def here(**changes) -> Patient:
    return Patient(**{"in_country_since": ARRIVED, "not_before": CHECKED_ON + 7 * D, **changes})


def test_a_postponement_in_the_country_books_the_first_date_after_it_without_the_travel_lead():
    plan = first_available(calendar(), RULES, Load(), here(), CHECKED_ON)
    assert plan.surgery_date == date(2027, 3, 29)          # checked on the 22nd + 7 days, a Monday
    at_home = Patient(not_before=CHECKED_ON + 7 * D)
    travelling = first_available(calendar(), RULES, Load(), at_home, CHECKED_ON)
    assert travelling.arrival_by >= CHECKED_ON + 21 * D    # what a patient still at home would get


def test_the_new_plan_keeps_the_day_the_patient_arrived():
    plan = first_available(calendar(), RULES, Load(), here(), CHECKED_ON)
    assert plan.arrival_by == ARRIVED and plan.preop_check_date == date(2027, 3, 28)
    assert plan.planned_ward_discharge == plan.surgery_date + RULES.ward_stay_days * D


def test_in_the_country_only_the_configured_minimum_lead_applies():
    patient = here(not_before=None)
    assert blocker(date(2027, 3, 23), calendar(), RULES, Load(), patient, CHECKED_ON) == IN_COUNTRY_LEAD
    assert first_available(calendar(), RULES, Load(), patient, CHECKED_ON).surgery_date == date(2027, 3, 24)
    longer = StayRules(travel_lead_days=21, in_country_min_lead_days=4, horizon_days=120)
    assert first_available(calendar(), longer, Load(), patient, CHECKED_ON).surgery_date == date(2027, 3, 29)


def test_in_the_country_capacity_ward_beds_and_the_earliest_date_still_hold():
    full = Load(surgeries={date(2027, 3, 29): 2})
    assert first_available(calendar(), RULES, full, here(), CHECKED_ON).surgery_date == date(2027, 3, 30)
    no_beds = Load(ward={date(2027, 3, 31): 8})
    assert first_available(calendar(), RULES, no_beds, here(), CHECKED_ON).surgery_date == date(2027, 4, 1)
    later = here(earliest_surgery_date=date(2027, 4, 5))
    assert first_available(calendar(), RULES, Load(), later, CHECKED_ON).surgery_date == date(2027, 4, 5)
