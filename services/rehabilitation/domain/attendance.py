"""Daily rehabilitation at the hotel (JOURNEY.md stage 4): each day of the plan done or missed,
the supervised sessions attended or missed, and what missed days mean for the end of the stay.

A missed day is a day of rehabilitation still to do: the plan's projected end moves one day per
missed day. Once the projected end passes the booked departure, the patient cannot finish before
the flight home, which the physiotherapist and the travel desk must know.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from services.rehabilitation.domain.rules import Rules
from shared.errors import Invalid

DONE, MISSED = "done", "missed"


@dataclass(frozen=True)
class DayFact:
    """One day of the plan as recorded: done, or missed with a reason code."""
    on: date
    status: str
    reason_code: str | None = None


@dataclass(frozen=True)
class Standing:
    """Where the patient stands against the plan, from the days and sessions recorded."""
    done_days: int
    missed_days: int
    unrecorded_days: int        # plan days up to yesterday with no record yet (not counted as missed)
    attended_sessions: int
    missed_sessions: int
    planned_end: date
    projected_end: date         # the planned end moved by the missed days
    departure_date: date | None

    @property
    def days_behind(self) -> int:
        return self.missed_days

    @property
    def days_past_departure(self) -> int:
        """How many days the projected end lies after the booked departure (0: it still fits)."""
        if self.departure_date is None:
            return 0
        return max((self.projected_end - self.departure_date).days, 0)


def first_plan_day(start: date) -> date:
    """Rehabilitation at the hotel begins the day after the ward discharge (as the sessions do)."""
    return start + timedelta(days=1)


def check_day(fact: DayFact, start: date, departure: date, today: date, rules: Rules) -> None:
    """A day is recorded within the stay, not ahead of the clinic's today; a missed day says why."""
    first = first_plan_day(start)
    if not first <= fact.on <= departure:
        raise Invalid("the day is outside the rehabilitation stay",
                      fields={"day": [f"must be between {first} and {departure}"]})
    if fact.on > today:
        raise Invalid("the day is in the future", fields={"day": ["must not be after today"]})
    check_status(fact.status, fact.reason_code, rules, "reason_code")


def check_status(status: str, reason_code: str | None, rules: Rules, field: str) -> None:
    """Done takes no reason; missed needs one of the configured reason codes."""
    if status == DONE:
        if reason_code:
            raise Invalid("a day done takes no reason", fields={field: ["only a missed day has a reason"]})
        return
    check_missed_reason(reason_code, rules, field)


def check_missed_reason(reason_code: str | None, rules: Rules, field: str) -> None:
    allowed = ", ".join(rules.missed_reasons)
    if not reason_code:
        raise Invalid("a missed day or session needs a reason code", fields={field: [f"one of {allowed}"]})
    if reason_code not in rules.missed_reasons:
        raise Invalid("the reason code is not known", fields={field: [f"must be one of {allowed}"]})


def standing(days: Iterable[DayFact], attended: int, missed_sessions: int, start: date,
             planned_end: date, departure: date | None, today: date) -> Standing:
    """Count the recorded days and sessions and move the planned end by the days missed."""
    recorded = {fact.on: fact for fact in days}     # the latest record of a day counts
    missed = sum(1 for fact in recorded.values() if fact.status == MISSED)
    done = sum(1 for fact in recorded.values() if fact.status == DONE)
    last_due = min(today - timedelta(days=1), planned_end)
    due = max((last_due - first_plan_day(start)).days + 1, 0)
    unrecorded = due - sum(1 for on in recorded if first_plan_day(start) <= on <= last_due)
    return Standing(done_days=done, missed_days=missed, unrecorded_days=max(unrecorded, 0),
                    attended_sessions=attended, missed_sessions=missed_sessions, planned_end=planned_end,
                    projected_end=planned_end + timedelta(days=missed), departure_date=departure)


def departure_warning_changed(now: Standing, announced_days_past_departure: int) -> bool:
    """Announce when the projected end newly passes the departure, moves further past it, or fits again."""
    return now.days_past_departure != announced_days_past_departure
