from datetime import UTC, date, datetime, timedelta

from services.journey.domain import catalogue, patient, wording
from services.journey.domain.projection import project
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact
from shared.contracts.journey import STAGES


def test_every_event_in_the_contracts_reads_as_a_sentence_on_the_timeline():
    assert set(catalogue.contracts()) <= set(wording.SUMMARY)


def test_everything_a_journey_can_wait_for_has_staff_and_patient_words():
    assert set(wording.WAITING) == set(patient.NEXT_STEPS)
    assert set(STAGES) == set(patient.STAGE_WORDS)


def test_a_resolved_complication_and_an_assessed_image_are_no_longer_waited_for():
    journey = new_journey()
    steps = story(journey, datetime(2025, 3, 3, tzinfo=UTC))
    at = steps[-1].event.occurred_at
    concern = event("followup", "complication_reported", {
        "escalation_id": "X-1", "kind": "stoma_irritation", "act_by": date(2025, 6, 1), "subject": "image",
        "subject_id": "IMG-1"}, journey, at=at + timedelta(hours=1))
    facts = [fact(s.event) for s in steps] + [fact(concern)]
    assert project(journey, facts).waiting_for == ["complication_action", "checkup"]
    resolved = event("followup", "escalation_resolved", {"escalation_id": "X-1", "kind": "stoma_irritation",
                                                         "action_code": "extra_care"}, journey,
                     at=at + timedelta(hours=2))
    assert project(journey, facts + [fact(resolved)]).waiting_for == ["checkup"]


def test_the_patient_reads_next_steps_and_dates_and_nothing_internal():
    journey = new_journey()
    steps = story(journey, datetime(2025, 3, 3, tzinfo=UTC))[:12]
    projection = project(journey, [fact(s.event) for s in steps])
    assert patient.next_steps(projection) == [
        "We are booking your flights and your hotel.",
        "Please pay the rest of the price before your surgery.",
        "Come to the hospital for a medical check the day before your surgery."]
    dates = patient.appointments(projection.record, today=date(2025, 5, 1))
    assert [(a.on, a.what, a.past) for a in dates] == [
        (date(2025, 4, 29), "Arrive in the Netherlands (at the latest)", True),
        (date(2025, 5, 1), "Medical check at the hospital", False),
        (date(2025, 5, 1), "Rest of the price due", False),
        (date(2025, 5, 2), "Your surgery", False)]
