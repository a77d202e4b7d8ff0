import random
from datetime import UTC, datetime, timedelta

from services.journey.domain.projection import project
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact

START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def test_each_fact_moves_the_journey_to_the_right_stage_and_wait():
    journey = new_journey()
    facts = []
    for step in story(journey, START):
        facts.append(fact(step.event))
        projection = project(journey, facts)
        assert (projection.stage, projection.waiting_for) == (step.stage, step.waiting), step.event.type


def test_duplicated_and_shuffled_facts_give_the_same_projection():
    journey = new_journey()
    facts = [fact(step.event) for step in story(journey, START)]
    expected = project(journey, facts)
    for seed in range(5):
        mixed = facts * 2
        random.Random(seed).shuffle(mixed)
        assert project(journey, mixed) == expected


def test_the_timeline_names_each_facts_cause():
    journey = new_journey()
    timeline = project(journey, [fact(step.event) for step in story(journey, START)[:3]]).timeline
    assert [(e.position, e.type, e.caused_by_type) for e in timeline] == [
        (1, "enquiry_received", None), (2, "prescreen_decided", "enquiry_received"),
        (3, "screening_step_completed", "prescreen_decided")]
    assert timeline[1].summary == "Pre-screen passed"


def _facts(journey, *specs):
    return [fact(event(producer, kind, payload, journey, at=START + timedelta(hours=n)))
            for n, (producer, kind, payload) in enumerate(specs)]


ENQUIRY = ("enquiries", "enquiry_received", {"enquiry_id": "E", "kind": "suitability", "country": "NL",
                                             "preferred_language": "nl"})


def _prescreen(outcome, overridden=False):
    return ("enquiries", "prescreen_decided", {"enquiry_id": "E", "outcome": outcome, "rules_fired": ["r"],
                                               "rule_set_version": "1", "overridden": overridden})


def test_a_staff_override_reopens_a_declined_enquiry_for_screening():
    journey = new_journey()
    declined = ("enquiries", "patient_declined", {"enquiry_id": "E", "stage": "prescreen", "reasons": ["r"]})
    assert project(journey, _facts(journey, ENQUIRY, _prescreen("declined"), declined)).stage == "declined"
    reopened = project(journey, _facts(journey, ENQUIRY, _prescreen("declined"), declined,
                                       _prescreen("passed", overridden=True)))
    assert (reopened.stage, reopened.waiting_for) == ("screening", ["outpatient_invitation"])


def test_a_smoker_is_on_hold_until_they_stop():
    journey = new_journey()
    projection = project(journey, _facts(journey, ENQUIRY, _prescreen("on_hold")))
    assert (projection.stage, projection.waiting_for) == ("on_hold", ["stop_smoking"])


def test_a_travel_conflict_is_waited_on_until_the_agency_confirms_again():
    journey = new_journey()
    steps = story(journey, START)[:14]
    conflict = ("travel", "travel_conflict_detected", {"itinerary_id": "T-1",
                                                       "conflict_code": "arrives_late"})
    reconfirmed = ("travel", "itinerary_confirmed", {"itinerary_id": "T-1", "arrival_date": START.date(),
                                                     "departure_date": START.date()})
    later = START + timedelta(days=2)
    facts = [fact(s.event) for s in steps] + [fact(event(*conflict, journey, at=later))]
    assert project(journey, facts).waiting_for[0] == "travel_conflict_resolution"
    facts.append(fact(event(*reconfirmed, journey, at=later + timedelta(hours=1))))
    assert "travel_conflict_resolution" not in project(journey, facts).waiting_for


def test_a_cancelled_surgery_ends_the_journey_and_a_new_schedule_revives_it():
    journey = new_journey()
    steps = story(journey, START)[:12]
    facts = [fact(s.event) for s in steps]
    cancel = event("surgery", "surgery_cancelled", {"reason_code": "patient_request"}, journey,
                   at=START + timedelta(days=1))
    assert project(journey, facts + [fact(cancel)]).stage == "cancelled"
    again = event("surgery", "surgery_scheduled", steps[11].event.payload, journey,
                  at=START + timedelta(days=2))
    assert project(journey, facts + [fact(cancel), fact(again)]).stage == "surgery_planned"
