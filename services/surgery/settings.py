"""The SURGERY config section as scheduling rules and the operating calendar."""
from dataclasses import dataclass
from datetime import date

import holidays

from services.surgery.domain.calendar import DAY, Calendar, StayRules
from services.surgery.domain.standing import POLICIES, WARN
from shared.config import section

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULTS = dict(operating_weekdays=["mon", "tue", "wed", "thu"], surgeries_per_day=2, ward_beds=8,
                ward_stay_days=4, ward_stay_min_days=3, ward_stay_max_days=5, travel_lead_days=21,
                arrival_days_before_preop=1, rehab_days=28, departure_days_after_rehab=1,
                stay_min_days=28, stay_max_days=42, scheduling_horizon_days=365,
                not_fit_postpone_days=7, in_country_min_lead_days=2, unpaid_balance=WARN,
                holiday_country="NL", closed_dates=[])
RULE_KEYS = ("ward_stay_days", "ward_stay_min_days", "ward_stay_max_days", "travel_lead_days",
             "in_country_min_lead_days", "arrival_days_before_preop", "rehab_days",
             "departure_days_after_rehab", "stay_min_days", "stay_max_days")


@dataclass(frozen=True)
class SurgerySettings:
    operating_weekdays: frozenset[int]
    surgeries_per_day: int
    ward_beds: int
    rules: StayRules
    not_fit_postpone_days: int
    unpaid_balance: str                 # warn | block: what an unpaid balance does to surgery
    holiday_country: str | None
    extra_closed: frozenset[date]

    def calendar(self, start: date, end: date) -> Calendar:
        """The calendar with the closed days (public holidays and extra dates) of start..end."""
        closed = set(self.extra_closed)
        if self.holiday_country:
            years = range(start.year, end.year + 1)
            closed |= set(holidays.country_holidays(self.holiday_country, years=years))
        return Calendar(self.operating_weekdays, self.surgeries_per_day, self.ward_beds,
                        frozenset(closed))

    def scheduling_calendar(self, today: date) -> Calendar:
        """The calendar for a search from `today` over the horizon and the stay after it."""
        end = today + (self.rules.horizon_days + self.rules.stay_max_days) * DAY
        return self.calendar(today, end)


def parse(config: dict) -> SurgerySettings:
    """Read and check the SURGERY section; a bad value stops the service at start-up."""
    values = section(config, "SURGERY", **DEFAULTS)
    weekdays = frozenset(WEEKDAYS.index(str(day).lower()[:3]) for day in values["operating_weekdays"])
    policy = str(values["unpaid_balance"]).lower()
    if policy not in POLICIES:
        raise ValueError(f"SURGERY.unpaid_balance must be one of {', '.join(POLICIES)}, not {policy!r}")
    rules = StayRules(horizon_days=int(values["scheduling_horizon_days"]),
                      **{key: int(values[key]) for key in RULE_KEYS})
    return SurgerySettings(
        operating_weekdays=weekdays, surgeries_per_day=int(values["surgeries_per_day"]),
        ward_beds=int(values["ward_beds"]), rules=rules,
        not_fit_postpone_days=int(values["not_fit_postpone_days"]), unpaid_balance=policy,
        holiday_country=values["holiday_country"] or None,
        extra_closed=frozenset(_date(value) for value in values["closed_dates"] or ()))


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
