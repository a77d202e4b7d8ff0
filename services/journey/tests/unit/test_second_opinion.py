"""A second opinion on the board and timeline: what it waits for, when it is stalled, what the person reads;
and what screening waits for once every required step is done."""
from datetime import UTC, date, datetime, timedelta

from services.journey.domain import patient
from services.journey.domain.projection import project
from services.journey.domain.stalls import Limits, Stall, stalls
from services.journey.tests.story import event, new_journey
from services.journey.tests.unit.facts import fact

START = datetime(2025, 3, 3, 9, tzinfo=UTC)  # a Monday
APPOINTMENT = datetime(2025, 3, 12, 9, tzinfo=UTC)  # 10:00 in Amsterdam, a Wednesday
ASKED = [("enquiries", "enquiry_received", {"enquiry_id": "E", "kind": "second_opinion", "country": "DE",
                                            "preferred_language": "de"}),
         ("enquiries", "second_opinion_requested", {"enquiry_id": "E", "preferred_date": None})]
BOOKED = ("enquiries", "second_opinion_booked", {"enquiry_id": "E", "appointment_id": 1,
                                                 "scheduled_at": APPOINTMENT, "rebooked": False})
HELD = ("enquiries", "second_opinion_held", {"enquiry_id": "E", "appointment_id": 1})
MISSED = ("enquiries", "second_opinion_missed", {"enquiry_id": "E", "appointment_id": 1})


def concluded(outcome="advised_to_enquire", opened="J-2"):
    return ("enquiries", "second_opinion_concluded", {"enquiry_id": "E", "outcome": outcome,
                                                      "suitability_journey_id": opened})


def _project(*specs, days_apart: int = 1):
    journey = new_journey()
    return project(journey, [fact(event(producer, kind, payload, journey,
                                        at=START + n * timedelta(days=days_apart)))
                             for n, (producer, kind, payload) in enumerate(specs)])


def test_each_step_of_a_second_opinion_moves_what_the_journey_waits_for():
    steps = [(ASKED, "second_opinion", ["second_opinion_appointment"]),
             (ASKED + [BOOKED], "second_opinion", ["second_opinion_visit"]),
             (ASKED + [BOOKED, HELD], "second_opinion", ["second_opinion_outcome"]),
             (ASKED + [BOOKED, MISSED], "second_opinion", ["second_opinion_appointment"]),
             (ASKED + [BOOKED, HELD, concluded()], "second_opinion_concluded", [])]
    for specs, stage, waits in steps:
        projection = _project(*specs)
        assert (projection.stage, projection.waiting_for) == (stage, waits), specs[-1][1]


def test_the_timeline_reads_each_step_of_the_second_opinion():
    again = ("enquiries", "second_opinion_booked", dict(BOOKED[2], rebooked=True))
    projection = _project(*ASKED, BOOKED, MISSED, again, HELD, concluded())
    assert [entry.summary for entry in projection.timeline][1:] == [
        "Second opinion requested",
        "Second-opinion appointment booked for 2025-03-12T10:00+01:00 at the partner clinic",
        "Second-opinion appointment missed (to be booked again)",
        "Second-opinion appointment booked again for 2025-03-12T10:00+01:00 at the partner clinic",
        "Second-opinion appointment held",
        "Second opinion concluded: advised to enquire about osseointegration; "
        "suitability enquiry opened (journey J-2)"]


def test_a_second_opinion_waiting_too_long_for_an_appointment_is_stalled_and_a_booking_ends_it():
    waiting = _project(*ASKED).progress  # asked on Tuesday 4 March (the second fact)
    assert stalls(waiting, date(2025, 3, 11), Limits()) == []
    assert stalls(waiting, date(2025, 3, 12), Limits()) == [Stall("second_opinion_unbooked",
                                                                  date(2025, 3, 12))]
    assert stalls(_project(*ASKED, BOOKED).progress, date(2025, 3, 11), Limits()) == []
    assert stalls(waiting, date(2025, 3, 6), Limits(second_opinion_unbooked_working_days=1)) != []


def test_a_missed_appointment_waits_for_a_new_booking_from_the_day_it_was_missed():
    missed = _project(*ASKED, BOOKED, MISSED, days_apart=3).progress  # missed on Saturday 12 March
    assert missed.second_opinion_waiting_since == START + timedelta(days=9)
    assert stalls(missed, date(2025, 3, 19), Limits()) == []
    assert [s.reason for s in stalls(missed, date(2025, 3, 20), Limits())] == ["second_opinion_unbooked"]


def test_an_appointment_past_its_day_unrecorded_and_a_held_one_without_outcome_are_stalled():
    booked = _project(*ASKED, BOOKED).progress  # for Wednesday 12 March
    assert stalls(booked, date(2025, 3, 14), Limits()) == []
    assert stalls(booked, date(2025, 3, 17), Limits()) == [Stall("second_opinion_unrecorded",
                                                                 date(2025, 3, 15))]
    held = _project(*ASKED, BOOKED, HELD).progress  # held on Thursday 6 March
    assert stalls(held, date(2025, 3, 10), Limits()) == []
    assert stalls(held, date(2025, 3, 11), Limits()) == [Stall("second_opinion_outcome_missing",
                                                               date(2025, 3, 11))]
    assert stalls(_project(*ASKED, BOOKED, HELD, concluded()).progress, date(2025, 6, 1), Limits()) == []


def test_the_person_reads_their_second_opinion_plainly_with_its_date():
    booked = _project(*ASKED, BOOKED)
    assert patient.next_steps(booked) == [
        "Your second-opinion appointment at our partner clinic in Amsterdam is booked. "
        "You find the date under your appointments."]
    assert [(a.on, a.what) for a in patient.appointments(booked.record, date(2025, 3, 5))] == [
        (date(2025, 3, 12), "Your second-opinion appointment at the partner clinic in Amsterdam")]
    done = _project(*ASKED, BOOKED, HELD, concluded())
    assert patient.STAGE_WORDS[done.stage] == "Your second opinion is complete"
    assert patient.next_steps(done) == [
        "The doctor advised you to find out whether osseointegration suits you. We have started that "
        "enquiry for you; we will ask you a few questions about your health."]
    withdrawn = _project(*ASKED, concluded("patient_withdrew", None))
    assert patient.next_steps(withdrawn) == [
        "You have withdrawn your request. You are welcome to ask again at any time."]


def test_the_suitability_enquiry_a_second_opinion_opened_waits_for_the_health_questions_then_screening():
    opened = ("enquiries", "enquiry_received", {"enquiry_id": "E2", "kind": "suitability", "country": "DE",
                                               "preferred_language": "de", "opened_from_journey_id": "J-1",
                                               "health_questions_pending": True})
    waiting = _project(opened)
    assert (waiting.stage, waiting.waiting_for) == ("enquiry", ["health_questions"])
    assert waiting.timeline[0].summary == ("Suitability enquiry received (DE, de) after a second opinion "
                                           "(journey J-1); waiting for the health questions")
    passed = ("enquiries", "prescreen_decided", {"enquiry_id": "E2", "outcome": "passed", "rules_fired": [],
                                                 "rule_set_version": "1"})
    assert _project(opened, passed).waiting_for == ["outpatient_invitation"]


def test_once_every_required_screening_step_is_done_the_journey_waits_for_the_decision():
    journey = new_journey()
    steps = ["outpatient_invitation", "consultation", "psychologist_call", "specialist_introduction",
             "questionnaire"]
    specs = [("enquiries", "prescreen_decided", {"enquiry_id": "E", "outcome": "passed", "rules_fired": [],
                                                 "rule_set_version": "1"})]
    specs += [("enquiries", "screening_step_completed", {"enquiry_id": "E", "step": step}) for step in steps]
    facts = [fact(event(p, k, payload, journey, at=START + timedelta(hours=n)))
             for n, (p, k, payload) in enumerate(specs)]
    projection = project(journey, facts)
    assert projection.waiting_for == ["screening_decision"]
    assert patient.next_steps(projection) == [
        "The specialist team is deciding about your treatment. We will let you know."]
