"""The operating calendar: which surgery dates are possible, and why the others are not.

Pure rules. The caller passes `today` and what is already booked (a Load); a day is
checked against each constraint in turn and the first one it breaks is its reason.
"""
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

DAY = timedelta(days=1)

# Constraint codes, in the order a day is checked.
BEFORE_EARLIEST = "earliest_surgery_date"
LEAD_TIME = "travel_lead_time"
IN_COUNTRY_LEAD = "in_country_lead_time"
POSTPONED = "postponed"
NOT_OPERATING = "not_an_operating_day"
CLOSED = "closed_day"
PREOP_CLOSED = "preop_check_on_closed_day"
FULL = "operating_capacity"
NO_BED = "ward_beds"
BEYOND_HORIZON = "beyond_horizon"


@dataclass(frozen=True)
class Calendar:
    """When, and how much, the clinic can operate."""
    operating_weekdays: frozenset[int]          # 0 = Monday
    surgeries_per_day: int
    ward_beds: int
    closed_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class StayRules:
    """The shape of a stay around a surgery date (JOURNEY.md stage 3 and 4)."""
    ward_stay_days: int = 4
    ward_stay_min_days: int = 3
    ward_stay_max_days: int = 5
    travel_lead_days: int = 21
    in_country_min_lead_days: int = 2        # a patient already here: surgery no sooner than this
    arrival_days_before_preop: int = 1
    rehab_days: int = 28
    departure_days_after_rehab: int = 1
    stay_min_days: int = 28
    stay_max_days: int = 42
    horizon_days: int = 365

    def __post_init__(self):
        if not self.ward_stay_min_days <= self.ward_stay_days <= self.ward_stay_max_days:
            raise ValueError("the planned ward stay must lie within its minimum and maximum")
        stay = plan_for(date(2000, 1, 3), self).stay_days
        if not self.stay_min_days <= stay <= self.stay_max_days:
            raise ValueError(f"a planned stay of {stay} days is outside "
                             f"{self.stay_min_days}-{self.stay_max_days} days")


@dataclass(frozen=True)
class Plan:
    """Every date of a patient's stay, fixed by the surgery date."""
    arrival_by: date
    preop_check_date: date
    surgery_date: date
    planned_ward_discharge: date
    planned_rehab_end: date
    departure_date: date

    @property
    def stay_days(self) -> int:
        return (self.departure_date - self.arrival_by).days

    def ward_nights(self) -> list[date]:
        """The nights a ward bed is taken: from surgery until the discharge day."""
        nights = (self.planned_ward_discharge - self.surgery_date).days
        return [self.surgery_date + n * DAY for n in range(nights)]


def plan_for(surgery_date: date, rules: StayRules, arrived_on: date | None = None) -> Plan:
    """The stay around `surgery_date`; a patient already in the country keeps their arrival date."""
    preop = surgery_date - DAY                 # the pre-op check is the day before surgery
    discharge = surgery_date + rules.ward_stay_days * DAY
    rehab_end = discharge + rules.rehab_days * DAY
    arrival = arrived_on or preop - rules.arrival_days_before_preop * DAY
    return Plan(arrival_by=arrival, preop_check_date=preop,
                surgery_date=surgery_date, planned_ward_discharge=discharge,
                planned_rehab_end=rehab_end,
                departure_date=rehab_end + rules.departure_days_after_rehab * DAY)


@dataclass(frozen=True)
class Load:
    """What is already booked: surgeries per day and ward beds taken per night."""
    surgeries: Mapping[date, int] = field(default_factory=dict)
    ward: Mapping[date, int] = field(default_factory=dict)

    def with_plan(self, plan: Plan) -> "Load":
        return Load(Counter(self.surgeries) + Counter([plan.surgery_date]),
                    Counter(self.ward) + Counter(plan.ward_nights()))


@dataclass(frozen=True)
class Patient:
    """What limits this patient's date: the screening's earliest date, a postponement, and
    whether the patient is already in the country (no travel to arrange, only a short lead)."""
    earliest_surgery_date: date | None = None
    not_before: date | None = None
    in_country_since: date | None = None


class NoDateAvailable(Exception):
    """No day within the horizon passes every constraint."""

    def __init__(self, blocked_by: dict[str, int], searched_until: date):
        super().__init__(f"no surgery date until {searched_until}: {blocked_by}")
        self.blocked_by = blocked_by
        self.searched_until = searched_until


def blocker(day: date, calendar: Calendar, rules: StayRules, load: Load, patient: Patient,
            today: date) -> str | None:
    """The first constraint `day` breaks as a surgery date, or None when it is possible."""
    plan = plan_for(day, rules)
    if patient.in_country_since is None:
        lead = (LEAD_TIME, plan.arrival_by < today + rules.travel_lead_days * DAY)
    else:
        lead = (IN_COUNTRY_LEAD, day < today + rules.in_country_min_lead_days * DAY)
    checks = (
        (BEFORE_EARLIEST, patient.earliest_surgery_date is not None and day < patient.earliest_surgery_date),
        lead,
        (POSTPONED, patient.not_before is not None and day < patient.not_before),
        (BEYOND_HORIZON, day > today + rules.horizon_days * DAY),
        (NOT_OPERATING, day.weekday() not in calendar.operating_weekdays),
        (CLOSED, day in calendar.closed_days),
        (PREOP_CLOSED, plan.preop_check_date in calendar.closed_days),
        (FULL, load.surgeries.get(day, 0) >= calendar.surgeries_per_day),
        (NO_BED, any(load.ward.get(n, 0) >= calendar.ward_beds for n in plan.ward_nights())),
    )
    return next((code for code, broken in checks if broken), None)


def first_available(calendar: Calendar, rules: StayRules, load: Load, patient: Patient,
                    today: date) -> Plan:
    """The plan for the first possible surgery date; NoDateAvailable says what blocked."""
    blocked: Counter[str] = Counter()
    last = today + rules.horizon_days * DAY
    day = today + DAY
    while day <= last:
        reason = blocker(day, calendar, rules, load, patient, today)
        if reason is None:
            return plan_for(day, rules, patient.in_country_since)
        blocked[reason] += 1
        day += DAY
    raise NoDateAvailable(dict(blocked.most_common()), last)
