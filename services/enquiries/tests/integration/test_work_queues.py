"""What waits for staff in enquiries (My work), on PostgreSQL and SQLite alike: each kind counts its
enquiries beside the first few, in the order they are to be done, and an enquiry leaves once its step is
done."""
import uuid
from datetime import time, timedelta

import pytest

from services.enquiries import models
from services.enquiries.handlers.work import queues
from services.enquiries.models import (
    Appointment,
    Enquiry,
    Prescreen,
    QuestionnaireResponse,
    ScreeningStep,
    SecondOpinionAppointment,
)
from services.enquiries.settings import parse
from shared.clock import ClinicClock
from shared.db import Store, UnitOfWork
from shared.errors import Invalid
from shared.migrations import upgrade

CLOCK = ClinicClock()
NOW = CLOCK.now()
REQUIRED = ("outpatient_invitation", "consultation", "psychologist_call", "specialist_introduction",
            "questionnaire")


@pytest.fixture
def store(db_url):
    upgrade("enquiries", db_url)
    store = Store(db_url, models.kernel)
    yield store
    store.dispose()


def _asked(store, *kinds: str, limit: int = 25) -> dict:
    found = queues(UnitOfWork(store, "enquiries", lambda: None), CLOCK, parse({}),
                   {"kinds": list(kinds), "limit": limit, "ahead_days": 7})
    return {queue["kind"]: queue for queue in found["queues"]}


def _journeys(queue: dict) -> list[str]:
    return [item["journey_id"] for item in queue["items"]]


def _enquiry(store, status="screening", kind="suitability", ago=timedelta(0), steps=(), **more) -> tuple:
    enquiry, journey = str(uuid.uuid4()), str(uuid.uuid4())
    with store.session() as session:
        session.add(Enquiry(id=enquiry, journey_id=journey, kind=kind, status=status, received_at=NOW - ago,
                            country="NL", preferred_language="nl", **more))
        session.flush()
        for n, step in enumerate(steps):
            session.add(ScreeningStep(enquiry_id=enquiry, step=step, state="completed", done_by="staff:1",
                                      done_at=NOW - ago + timedelta(minutes=n + 1)))
    return enquiry, journey


def _add(store, *rows) -> None:
    with store.session() as session:
        session.add_all(rows)


def _prescreen(enquiry, outcome, by="system", ago=timedelta(0), overridden=False) -> Prescreen:
    return Prescreen(enquiry_id=enquiry, outcome=outcome, rules_fired=[], rule_set_version="1",
                     overridden=overridden, decided_by=by, decided_at=NOW - ago)


def test_automatic_outcomes_other_than_passed_are_reviewed_until_staff_override_them_or_they_grow_old(store):
    held, on_hold = _enquiry(store, status="on_hold")
    old, too_old = _enquiry(store, status="declined")
    overridden, replaced = _enquiry(store, status="waitlisted")
    _add(store, _prescreen(held, "on_hold", ago=timedelta(days=3)),
         _prescreen(old, "declined", ago=timedelta(days=40)),
         _prescreen(overridden, "declined", ago=timedelta(days=2)),
         _prescreen(overridden, "waitlisted", by="staff:4", overridden=True))
    review = _asked(store, "prescreen_review")["prescreen_review"]
    assert (_journeys(review), review["total"]) == ([on_hold], 1)
    assert review["items"][0]["code"] == "on_hold"


def test_the_next_step_staff_arrange_waits_oldest_first_until_its_appointment_is_planned(store):
    _, invite = _enquiry(store, ago=timedelta(days=3))
    consult_id, consult = _enquiry(store, ago=timedelta(days=5), steps=REQUIRED[:1])
    planned_id, _planned = _enquiry(store, ago=timedelta(days=4), steps=REQUIRED[:2])
    _, patients_turn = _enquiry(store, ago=timedelta(days=6), steps=REQUIRED[:4])
    _add(store, Appointment(enquiry_id=planned_id, step="psychologist_call",
                            scheduled_at=NOW + timedelta(days=30), channel="phone", status="planned",
                            planned_by="staff:1", updated_at=NOW))
    arrange = _asked(store, "screening_to_arrange", limit=1)["screening_to_arrange"]
    assert (arrange["total"], _journeys(arrange)) == (2, [consult])   # the one waiting longest, of two
    assert arrange["items"][0]["code"] == "consultation"
    assert [i["code"] for i in _asked(store, "screening_to_arrange")["screening_to_arrange"]["items"]] == [
        "consultation", "outpatient_invitation"]
    assert patients_turn not in _journeys(_asked(store, "screening_to_arrange")["screening_to_arrange"])


def test_appointments_are_held_up_to_a_week_ahead_and_a_day_passed_unrecorded_is_overdue(store):
    enquiry, journey = _enquiry(store)
    today = CLOCK.at(CLOCK.today(), time(10))

    def call(days, status="planned"):
        return Appointment(enquiry_id=enquiry, step="psychologist_call",
                           scheduled_at=today + timedelta(days=days), channel="phone", status=status,
                           planned_by="staff:1", updated_at=NOW)
    _add(store, call(-1), call(2), call(9), call(-2, "done"))
    held = _asked(store, "psychologist_call_to_hold", "specialist_introduction_to_hold")
    assert [i["overdue"] for i in held["psychologist_call_to_hold"]["items"]] == [True, False]
    assert held["specialist_introduction_to_hold"]["total"] == 0


def test_a_finished_screening_waits_for_a_decision_and_a_submitted_questionnaire_is_read(store):
    done, decide = _enquiry(store, steps=REQUIRED)
    examined, examining = _enquiry(store, steps=REQUIRED)
    _add(store, Appointment(enquiry_id=examined, step="additional_examinations", examination="x_ray",
                            scheduled_at=NOW + timedelta(days=3), channel="in_person", status="planned",
                            planned_by="staff:1", updated_at=NOW),
         QuestionnaireResponse(enquiry_id=done, questionnaire_id="q", questionnaire_version=1, answers={},
                               status="submitted", updated_at=NOW, submitted_at=NOW))
    found = _asked(store, "decision_due", "questionnaire_to_read")
    assert _journeys(found["decision_due"]) == [decide]
    assert _journeys(found["questionnaire_to_read"]) == [decide]


def test_second_opinions_wait_to_be_booked_recorded_and_concluded_and_health_questions_to_be_asked(store):
    _, waiting = _enquiry(store, status="received", kind="second_opinion", ago=timedelta(days=2))
    visited_id, visited = _enquiry(store, status="booked", kind="second_opinion")
    held_id, held = _enquiry(store, status="held", kind="second_opinion")
    _, health = _enquiry(store, status="awaiting_health")

    def visit(enquiry, status, days):
        return SecondOpinionAppointment(enquiry_id=enquiry, scheduled_at=NOW + timedelta(days=days),
                                        place="Amsterdam", status=status, booked_by="staff:1", updated_at=NOW)
    _add(store, visit(visited_id, "booked", -2), visit(held_id, "held", -1))
    found = _asked(store, "second_opinion_to_book", "second_opinion_to_record", "health_questions_to_ask")
    assert _journeys(found["second_opinion_to_book"]) == [waiting]
    recorded = found["second_opinion_to_record"]["items"]
    assert [(i["journey_id"], i["code"], i["overdue"]) for i in recorded] == [
        (visited, "visit_unrecorded", True), (held, "outcome_missing", False)]
    assert _journeys(found["health_questions_to_ask"]) == [health]


def test_a_kind_enquiries_does_not_know_is_refused(store):
    with pytest.raises(Invalid) as refused:
        _asked(store, "image_review")
    assert "image_review" in refused.value.message
