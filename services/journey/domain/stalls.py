"""Stalled journeys: waiting longer than the clinic allows.

A deadline its producer keeps is a fact when it passes (deposit_overdue, balance_overdue,
questionnaire_overdue, image_review_overdue, escalation_overdue, checkup_missed: see
domain/deadlines.py): the journey is stalled from the day the fact says until a later fact settles
it. The waits no stage keeps a deadline for are judged here, by the limits in config.
"""
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from services.journey.domain import payment_flags
from services.journey.domain.status import CLOSED, Progress


@dataclass(frozen=True)
class Limits:
    enquiry_unanswered_working_days: int = 2
    travel_conflict_open_days: int = 0
    second_opinion_unbooked_working_days: int = 5    # asked (or missed) and no appointment booked
    second_opinion_outcome_working_days: int = 2     # its day passed unrecorded, or held and no outcome


@dataclass(frozen=True)
class Stall:
    reason: str      # enquiry_unanswered | deposit_unpaid | review_overdue | travel_conflict_open |
                     # second_opinion_unbooked | second_opinion_unrecorded | second_opinion_outcome_missing
    since: date      # the day the journey became stalled


def working_days_after(start: date, end: date, holidays: Container[date]) -> int:
    """Whole working days strictly between `start` and `end` (weekends and holidays excluded)."""
    days, day = 0, start + timedelta(days=1)
    while day < end:
        if day.weekday() < 5 and day not in holidays:
            days += 1
        day += timedelta(days=1)
    return days


def _working_day_deadline(start: date, count: int, holidays: Container[date]) -> date:
    """The first day on which `count` whole working days have passed since `start`."""
    day = start
    while working_days_after(start, day, holidays) < count:
        day += timedelta(days=1)
    return day


def stalls(p: Progress, today: date, limits: Limits, holidays: Container[date] = ()) -> list[Stall]:
    """Every limit this journey has overrun today, oldest first."""
    if p.stage in CLOSED:
        return []
    found = []
    if p.enquiry_received_at and not p.answered:
        since = _working_day_deadline(p.enquiry_received_at.date(), limits.enquiry_unanswered_working_days,
                                      holidays)
        found.append(Stall("enquiry_unanswered", since))
    found += [Stall(reason, since) for reason, since in p.overdue]  # deadline facts that fired
    if p.conflict_open_since:
        found.append(Stall("travel_conflict_open",
                           p.conflict_open_since.date() + timedelta(days=limits.travel_conflict_open_days)))
    found += _second_opinion_stalls(p, limits, holidays)
    found += _balance_overdue(p, today)
    return sorted((s for s in found if s.since <= today), key=lambda s: (s.since, s.reason))


def _balance_overdue(p: Progress, today: date) -> list[Stall]:
    """An unpaid balance past its due date, judged today (unless its `balance_overdue` fact said so)."""
    since = payment_flags.balance_overdue_since(p.balance_due, today)
    said = any(reason == payment_flags.BALANCE_OVERDUE for reason, _ in p.overdue)
    return [Stall(payment_flags.BALANCE_OVERDUE, since)] if since and not said else []


def _second_opinion_stalls(p: Progress, limits: Limits, holidays: Container[date]) -> list[Stall]:
    """Waiting too long for an appointment; an appointment whose day passed unrecorded; held, no outcome."""
    waits = (("second_opinion_unbooked", p.second_opinion_waiting_since,
              limits.second_opinion_unbooked_working_days),
             ("second_opinion_unrecorded", p.second_opinion_booked_for,
              limits.second_opinion_outcome_working_days),
             ("second_opinion_outcome_missing", p.second_opinion_held_at,
              limits.second_opinion_outcome_working_days))
    return [Stall(reason, _working_day_deadline(since.date(), days, holidays))
            for reason, since, days in waits if since is not None]
