"""Stalled journeys: waiting longer than the clinic allows.

A deadline its producer keeps is a fact when it passes (deposit_overdue, balance_overdue,
questionnaire_overdue, image_review_overdue, escalation_overdue, checkup_missed: see
domain/deadlines.py): the journey is stalled from the day the fact says until a later fact settles
it. The waits no stage keeps a deadline for are judged here, by the limits in config: an enquiry
unanswered, a travel conflict or a travel desk task open, surgery scheduling blocked (no date fits),
a second opinion waiting, and an unpaid balance past its date.
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
    scheduling_blocked_days: int = 0                 # no surgery date fits and no planner has acted
    desk_task_open_days: int = 0                     # travel asked its desk to act by hand


@dataclass(frozen=True)
class Stall:
    reason: str      # one of shared.contracts.journey.STALLS (the board filters by them)
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
    waits = (("travel_conflict_open", p.conflict_open_since, limits.travel_conflict_open_days),
             ("desk_task_open", p.desk_task_open_since, limits.desk_task_open_days),
             ("scheduling_blocked", p.scheduling_blocked_since, limits.scheduling_blocked_days))
    found += [Stall(reason, since.date() + timedelta(days=days)) for reason, since, days in waits if since]
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
