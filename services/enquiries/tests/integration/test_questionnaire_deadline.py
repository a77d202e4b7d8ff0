"""A questionnaire opened for the patient and not submitted in time becomes a fact: questionnaire_overdue."""
from datetime import timedelta

import eventlet
from sqlalchemy import func, select

from services.enquiries import models
from services.enquiries.settings import parse
from services.enquiries.tests.integration.helpers import (
    events_of,
    fill_in_and_submit,
    patient_client,
    screen_to_the_questionnaire,
    submitted,
    suitability,
)
from services.enquiries.tests.integration.test_erasure import confirmation, request_erasure
from shared.clock import CLOCK_FILE, ClinicClock, set_simulated
from shared.config import load_config


def test_a_questionnaire_not_submitted_in_time_is_overdue_and_a_submitted_one_never_is(
        stack, public, staff, tap, tmp_path, monkeypatch):
    clock_file, today = tmp_path / "clock", ClinicClock().today()
    set_simulated(clock_file, today)
    monkeypatch.setenv(CLOCK_FILE, str(clock_file))
    waiting, answered = (submitted(public, suitability())["journey_id"] for _ in range(2))
    for journey in (waiting, answered):
        screen_to_the_questionnaire(staff, journey)
    patient_client(stack, staff, waiting).close()          # opened, then left
    with patient_client(stack, staff, answered) as patient:
        fill_in_and_submit(patient, answered)
    eventlet.sleep(1.2)  # the timer relay has polled: nothing is due yet
    assert _overdue(tap, waiting, answered) == []

    days = parse(load_config()).questionnaire_overdue_days
    set_simulated(clock_file, today + timedelta(days=days + 1))
    events = events_of(tap, waiting, "questionnaire_overdue")
    [overdue] = [e["payload"] for e in events if e["type"] == "questionnaire_overdue"]
    due_by = today + timedelta(days=days)
    assert (overdue["opened_on"], overdue["due_by"]) == (today.isoformat(), due_by.isoformat())
    eventlet.sleep(1.2)
    assert _overdue(tap, waiting, answered) == [waiting]  # once, and not for the submitted one


def test_an_erased_enquirer_has_no_deadline_left_to_fall_due(stack, public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    screen_to_the_questionnaire(staff, journey)
    patient_client(stack, staff, journey).close()          # opened: its deadline is armed
    assert _pending(stack, journey) == 1
    request_erasure(stack, journey)
    assert confirmation(tap, journey)["erased"] is True
    assert _pending(stack, journey) == 0


def _pending(stack, journey) -> int:
    timers = models.kernel.timers
    with stack.store.session() as session:
        return session.scalar(select(func.count()).select_from(timers).where(
            timers.c.journey_id == journey, timers.c.fired_at.is_(None)))


def _overdue(tap, *journeys) -> list[str]:
    return [e["journey_id"] for e in tap.drain() if e["type"] == "questionnaire_overdue"
            and e["journey_id"] in journeys]
