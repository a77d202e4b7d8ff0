"""Choosing a surgery date: the first day that every constraint allows."""
from datetime import date, timedelta

import pytest

from services.surgery.domain.calendar import (
    BEFORE_EARLIEST,
    FULL,
    LEAD_TIME,
    NO_BED,
    NOT_OPERATING,
    Calendar,
    Load,
    NoDateAvailable,
    Patient,
    StayRules,
    first_available,
    plan_for,
)

MONDAY = date(2027, 3, 1)
RULES = StayRules(travel_lead_days=21, horizon_days=120)
MON_TO_THU = frozenset({0, 1, 2, 3})


def calendar(**changes) -> Calendar:
    values = dict(operating_weekdays=MON_TO_THU, surgeries_per_day=2, ward_beds=8, closed_days=frozenset())
    return Calendar(**{**values, **changes})


def days(n: int) -> timedelta:
    return timedelta(days=n)


def test_the_first_date_leaves_the_travel_lead_time_before_arrival():
    plan = first_available(calendar(), RULES, Load(), Patient(), MONDAY)
    assert plan.arrival_by >= MONDAY + days(21)
    assert plan.surgery_date == date(2027, 3, 24)   # arrival 22 March, a Wednesday operating day


def test_the_plan_puts_the_preop_check_the_day_before_and_the_whole_stay_in_four_to_six_weeks():
    plan = plan_for(date(2027, 3, 24), RULES)
    assert plan.preop_check_date == date(2027, 3, 23)
    assert plan.arrival_by < plan.preop_check_date
    assert plan.planned_ward_discharge == date(2027, 3, 28)
    assert plan.planned_rehab_end == plan.planned_ward_discharge + days(28)
    assert plan.departure_date > plan.planned_rehab_end
    assert 28 <= plan.stay_days <= 42


def test_a_patient_is_not_operated_before_their_earliest_surgery_date():
    patient = Patient(earliest_surgery_date=date(2027, 4, 20))
    plan = first_available(calendar(), RULES, Load(), patient, MONDAY)
    assert plan.surgery_date == date(2027, 4, 20)


def test_a_public_holiday_and_the_day_after_it_are_skipped():
    # 23 March closed: no surgery that day, and none on the 24th (its pre-op check would fall on the 23rd)
    plan = first_available(calendar(closed_days=frozenset({date(2027, 3, 23)})), RULES, Load(), Patient(),
                           date(2027, 3, 1))
    assert plan.surgery_date == date(2027, 3, 25)


def test_a_fully_booked_day_sends_the_patient_to_the_next_operating_day():
    load = Load(surgeries={date(2027, 3, 24): 2})
    assert first_available(calendar(), RULES, load, Patient(), MONDAY).surgery_date == date(2027, 3, 25)


def test_a_day_whose_ward_stay_finds_no_free_bed_is_skipped():
    load = Load(ward={date(2027, 3, 27): 8, date(2027, 3, 28): 8, date(2027, 3, 29): 8})
    # 24 March needs beds until the 27th, the 25th until the 28th, the 29th (Mon) until 1 April
    assert first_available(calendar(), RULES, load, Patient(), MONDAY).surgery_date == date(2027, 3, 30)


def test_a_postponed_surgery_takes_the_first_valid_date_from_the_postponement():
    plan = first_available(calendar(), RULES, Load(), Patient(not_before=date(2027, 4, 12)), MONDAY)
    assert plan.surgery_date == date(2027, 4, 12)


def test_when_no_date_fits_the_horizon_the_blocking_constraints_are_named():
    with pytest.raises(NoDateAvailable) as blocked:
        first_available(calendar(surgeries_per_day=1), RULES, Load(surgeries={
            MONDAY + days(n): 1 for n in range(121)}), Patient(), MONDAY)
    assert blocked.value.searched_until == MONDAY + days(120)
    reasons = blocked.value.blocked_by
    assert set(reasons) == {LEAD_TIME, NOT_OPERATING, FULL}
    assert reasons[LEAD_TIME] == 22 and sum(reasons.values()) == 120


def test_an_earliest_date_beyond_the_horizon_is_named_as_the_blocker():
    with pytest.raises(NoDateAvailable) as blocked:
        first_available(calendar(), RULES, Load(), Patient(earliest_surgery_date=MONDAY + days(400)), MONDAY)
    assert blocked.value.blocked_by == {BEFORE_EARLIEST: 120}


def test_a_ward_too_small_for_any_stay_is_named_as_the_blocker():
    with pytest.raises(NoDateAvailable) as blocked:
        first_available(calendar(ward_beds=0), RULES, Load(), Patient(), MONDAY)
    assert NO_BED in blocked.value.blocked_by


def test_stay_rules_outside_four_to_six_weeks_are_refused():
    with pytest.raises(ValueError, match="outside 28-42"):
        StayRules(rehab_days=40)
    with pytest.raises(ValueError, match="ward stay"):
        StayRules(ward_stay_days=6)
