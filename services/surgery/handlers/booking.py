"""Claiming operating slots and ward beds in the database, safely under concurrency.

A booking inserts (date, slot_no) and (night, bed_no) rows with numbers within the
configured capacity. Two transactions that read the same free slot cannot both commit:
the loser gets IntegrityError, and `retrying` runs its whole unit of work again, when it
reads the winner's rows and picks the next valid date.
"""
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from services.surgery.domain.calendar import DAY, Calendar, Load, Plan
from services.surgery.models import OperatingSlot, WardBedNight

log = logging.getLogger(__name__)


@dataclass
class Taken:
    """The slot and bed numbers taken per day in a window."""
    slots: dict[date, set[int]]
    beds: dict[date, set[int]]

    def load(self) -> Load:
        return Load({day: len(numbers) for day, numbers in self.slots.items()},
                    {night: len(numbers) for night, numbers in self.beds.items()})


def taken(session, start: date, end: date) -> Taken:
    """Everything booked from start to end (inclusive)."""
    slots, beds = defaultdict(set), defaultdict(set)
    for day, number in session.execute(select(OperatingSlot.surgery_date, OperatingSlot.slot_no).where(
            OperatingSlot.surgery_date.between(start, end))):
        slots[day].add(number)
    for night, number in session.execute(select(WardBedNight.night, WardBedNight.bed_no).where(
            WardBedNight.night.between(start, end))):
        beds[night].add(number)
    return Taken(dict(slots), dict(beds))


def window(today: date, horizon_days: int, max_stay_days: int) -> tuple[date, date]:
    """The days a search from `today` may book: the horizon and the longest stay after it."""
    return today, today + (horizon_days + max_stay_days) * DAY


def claim(session, journey_id: str, plan: Plan, calendar: Calendar, booked: Taken) -> None:
    """Take the lowest free slot on the surgery date and a bed for every ward night."""
    claim_slot(session, journey_id, plan.surgery_date, calendar.surgeries_per_day, booked)
    claim_beds(session, journey_id, plan.ward_nights(), calendar.ward_beds, booked)
    session.flush()   # a conflicting booking fails here, not later at commit


def claim_slot(session, journey_id: str, day: date, capacity: int, booked: Taken) -> None:
    number = _lowest_free(booked.slots.get(day, set()), capacity)
    session.add(OperatingSlot(surgery_date=day, slot_no=number, journey_id=journey_id))


def claim_beds(session, journey_id: str, nights: list[date], beds: int, booked: Taken) -> None:
    for night in nights:
        number = _lowest_free(booked.beds.get(night, set()), beds)
        session.add(WardBedNight(night=night, bed_no=number, journey_id=journey_id))


def release(session, journey_id: str) -> None:
    """Free the journey's slot and beds (a reschedule or a cancellation)."""
    session.execute(delete(OperatingSlot).where(OperatingSlot.journey_id == journey_id))
    session.execute(delete(WardBedNight).where(WardBedNight.journey_id == journey_id))


def _lowest_free(numbers: set[int], capacity: int) -> int:
    free = sorted(set(range(1, capacity + 1)) - numbers)
    if not free:  # the scheduler checked capacity on the same rows: this is a bug
        raise RuntimeError("no free number left after a capacity check")
    return free[0]


def retrying(uow, work, attempts: int = 8):
    """Run `work(uow)` in a unit of work, again from the start when a booking conflicted."""
    for attempt in range(1, attempts + 1):
        try:
            with uow:
                return work(uow)
        except IntegrityError:
            if attempt == attempts or uow.session is not None:
                raise   # out of attempts, or the unit of work itself failed to open (its inbox row)
            log.info("booking conflict; trying again", extra={"attempt": attempt})
