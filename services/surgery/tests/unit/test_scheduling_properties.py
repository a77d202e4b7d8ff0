"""Whatever the calendar and the patients, a booked date honours every constraint."""
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.surgery.domain.calendar import (
    Calendar,
    Load,
    NoDateAvailable,
    Patient,
    StayRules,
    first_available,
)

D = timedelta(days=1)


@st.composite
def worlds(draw):
    today = draw(st.dates(date(2025, 1, 1), date(2030, 12, 31)))
    ward, before, after = draw(st.integers(3, 5)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    fixed = before + 1 + ward + after        # arrival..preop, preop..surgery, ward, rehab end..departure
    rules = StayRules(ward_stay_days=ward, arrival_days_before_preop=before, departure_days_after_rehab=after,
                      rehab_days=draw(st.integers(28 - fixed, 42 - fixed)),
                      travel_lead_days=draw(st.integers(0, 30)), horizon_days=draw(st.integers(30, 150)))
    calendar = Calendar(operating_weekdays=draw(st.frozensets(st.integers(0, 6), min_size=1)),
                        surgeries_per_day=draw(st.integers(1, 3)), ward_beds=draw(st.integers(1, 6)),
                        closed_days=draw(st.frozensets(st.dates(today, today + 160 * D), max_size=40)))
    earliest = st.one_of(st.none(), st.dates(today - 10 * D, today + 170 * D))
    return today, rules, calendar, draw(st.lists(earliest, min_size=1, max_size=20))


def allowed(day, today, rules, calendar, plans, earliest) -> bool:
    """An independent oracle: may `day` be this patient's surgery date, given the plans booked?"""
    ward = lambda p: [p.surgery_date + n * D for n in range(rules.ward_stay_days)]  # noqa: E731
    return (today < day <= today + rules.horizon_days * D
            and (earliest is None or day >= earliest)
            and day - (1 + rules.arrival_days_before_preop) * D >= today + rules.travel_lead_days * D
            and day.weekday() in calendar.operating_weekdays
            and day not in calendar.closed_days and day - D not in calendar.closed_days
            and sum(p.surgery_date == day for p in plans) < calendar.surgeries_per_day
            and all(sum(night in ward(p) for p in plans) < calendar.ward_beds
                    for night in [day + n * D for n in range(rules.ward_stay_days)]))


@settings(max_examples=150, deadline=None, database=None)   # no example files in the checkout
@given(worlds())
def test_every_booking_is_the_first_allowed_day_and_never_breaks_a_constraint(world):
    today, rules, calendar, patients = world
    plans, load = [], Load()
    for earliest in patients:
        window = [today + n * D for n in range(1, rules.horizon_days + 1)]
        try:
            plan = first_available(calendar, rules, load, Patient(earliest_surgery_date=earliest), today)
        except NoDateAvailable as blocked:
            assert not any(allowed(day, today, rules, calendar, plans, earliest) for day in window)
            assert sum(blocked.blocked_by.values()) == rules.horizon_days
            continue
        day = plan.surgery_date
        assert allowed(day, today, rules, calendar, plans, earliest)
        assert not any(allowed(d, today, rules, calendar, plans, earliest) for d in window if d < day)
        assert 28 <= plan.stay_days <= 42 and plan.preop_check_date == day - D
        plans.append(plan)
        load = load.with_plan(plan)
    for day in {p.surgery_date for p in plans}:
        assert sum(p.surgery_date == day for p in plans) <= calendar.surgeries_per_day
    for night in {n for p in plans for n in p.ward_nights()}:
        assert sum(night in p.ward_nights() for p in plans) <= calendar.ward_beds
