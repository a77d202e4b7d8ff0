"""Journeys racing for the last operating slot on PostgreSQL: no day is ever double booked."""
import uuid
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.surgery.domain.calendar import Load, Patient, first_available, plan_for
from services.surgery.handlers import booking
from services.surgery.models import OperatingSlot, SurgeryCase
from services.surgery.settings import parse as parse_settings
from services.surgery.tests.integration.support import (
    PAYMENT,
    accepted,
    event,
    outbox,
    publish,
    surgery_running,
    wait_handled,
)
from shared.clock import clinic_clock

RACERS = 6


@pytest.fixture(scope="module")
def running():
    # one surgery a day and beds to spare: every racer wants the same first day
    with surgery_running({"surgeries_per_day": 1, "ward_beds": 40}) as (cluster, config, store):
        yield config, store


def test_a_stale_read_of_a_free_slot_or_bed_cannot_book_it_a_second_time(running):
    config, store = running
    day = date(2031, 3, 4)
    nights = plan_for(day, parse_settings(config).rules).ward_nights()
    with store.session() as session:
        stale = booking.taken(session, day, nights[-1])        # both see the day and the beds free
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    with store.session() as session:
        booking.claim_slot(session, first, day, 1, stale)
        booking.claim_beds(session, first, nights, 40, stale)
    with pytest.raises(IntegrityError), store.session() as session:
        booking.claim_slot(session, second, day, 1, stale)
    with pytest.raises(IntegrityError), store.session() as session:
        booking.claim_beds(session, second, nights, 40, stale)


def test_concurrent_workers_racing_for_the_first_free_day_each_get_a_different_valid_day(running):
    config, store = running
    settings = parse_settings(config)
    journeys = [str(uuid.uuid4()) for _ in range(RACERS)]
    acceptances = [event("enquiries", "patient_accepted", accepted(), j) for j in journeys]
    deposits = [event("payments", "deposit_paid", PAYMENT, j) for j in journeys]
    publish(config["AMQP_URI"], *acceptances)
    wait_handled(store, *acceptances)
    publish(config["AMQP_URI"], *deposits)        # all ready at once: concurrent workers race
    wait_handled(store, *deposits)

    dates = {j: date.fromisoformat(outbox(store, j, "surgery_scheduled")[0]["payload"]["surgery_date"])
             for j in journeys}
    with store.session() as session:
        slots = session.execute(select(OperatingSlot.surgery_date, OperatingSlot.journey_id)).all()
        statuses = set(session.scalars(
            select(SurgeryCase.status).where(SurgeryCase.journey_id.in_(journeys))))
    assert statuses == {"scheduled"}
    assert max(Counter(day for day, _ in slots).values()) == 1          # never over capacity
    assert {j: d for d, j in slots if j in dates} == dates              # the slots are the announced dates
    today, load, expected = clinic_clock(config).today(), Load(), []
    calendar = settings.scheduling_calendar(today)
    for _ in journeys:          # the first RACERS valid days, as one planner taking them in turn would
        plan = first_available(calendar, settings.rules, load, Patient(), today)
        expected.append(plan.surgery_date)
        load = load.with_plan(plan)
    assert sorted(dates.values()) == expected
