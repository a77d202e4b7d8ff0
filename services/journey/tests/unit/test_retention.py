"""Retention that ends (domain/retention.py) and a withdrawn consent, judged from the facts alone."""
from datetime import UTC, date, datetime, timedelta

from services.journey.domain.projection import project
from services.journey.domain.retention import Kept, Rules, kept
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact

RULES = Rules(enquirer_months=24, declined_years=20, patient_years=20)
START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def received(journey: str, at: datetime = START):
    payload = {"enquiry_id": "E-1", "kind": "suitability", "country": "DE", "preferred_language": "de"}
    return event("enquiries", "enquiry_received", payload, journey, at=at)


def test_an_enquirer_is_kept_for_the_configured_months_after_the_journeys_last_fact():
    journey = new_journey()
    on_hold = {"enquiry_id": "E-1", "outcome": "on_hold", "rules_fired": ["currently_smoking"],
               "rule_set_version": "1"}
    facts = [fact(received(journey)),
             fact(event("enquiries", "prescreen_decided", on_hold, journey, at=START + timedelta(days=40)))]
    assert kept(project(journey, facts), RULES) == Kept("enquirer", date(2027, 4, 12))


def test_someone_declined_after_clinical_screening_is_kept_for_the_screening_records_years():
    journey = new_journey()
    declined = event("enquiries", "patient_declined", {"enquiry_id": "E-1", "stage": "screening",
                                                       "reasons": ["bone_quality"]}, journey,
                     at=START + timedelta(days=10))
    assert kept(project(journey, [fact(received(journey)), fact(declined)]), RULES) == Kept(
        "declined_after_screening", date(2045, 3, 13))


def test_a_patient_is_kept_twenty_years_after_the_last_treatment_whatever_came_later():
    journey = new_journey()
    steps = [fact(s.event) for s in story(journey, START)]
    last_treatment = max(f.occurred_at for f in steps if f.type == "rehab_completed")
    reminded = {"plan_id": "P-1", "checkup_date": date(2026, 1, 5)}
    reminder = event("notifications", "checkup_reminder_due", reminded, journey,
                     at=last_treatment + timedelta(days=300))
    found = kept(project(journey, steps + [fact(reminder)]), RULES)
    assert found.rule == "patient" and found.until.year == last_treatment.year + 20
    assert found.until.timetuple()[1:3] == last_treatment.date().timetuple()[1:3]


def test_an_erased_enquirer_or_a_purged_record_keeps_nothing_to_time():
    journey = new_journey()
    erased = event("journey", "erasure_requested", {"request_id": "R-1"}, journey,
                   at=START + timedelta(days=1))
    assert kept(project(journey, [fact(received(journey)), fact(erased)]), RULES) is None
    patient = new_journey()
    purge = event("journey", "erasure_requested", {"request_id": "R-2", "purge": True}, patient,
                  at=START + timedelta(days=9000))
    projection = project(patient, [fact(s.event) for s in story(patient, START)] + [fact(purge)])
    assert kept(projection, RULES) is None and projection.stage == "erasure"


def test_a_withdrawn_health_data_consent_ends_the_journey_and_says_why_and_marketing_does_not():
    journey = new_journey()
    steps = [fact(s.event) for s in story(journey, START)[:12]]
    marketing = event("enquiries", "consent_withdrawn", {"enquiry_id": "E-1", "purpose": "marketing",
                                                         "channel": "staff"}, journey,
                      at=START + timedelta(days=2))
    assert project(journey, steps + [fact(marketing)]).stage == "surgery_planned"
    health = event("enquiries", "consent_withdrawn", {"enquiry_id": "E-1", "purpose": "health_data",
                                                      "channel": "patient_portal"}, journey,
                   at=START + timedelta(days=3))
    stopped = project(journey, steps + [fact(marketing), fact(health)])
    assert (stopped.stage, stopped.waiting_for) == ("consent_withdrawn", [])
    assert stopped.timeline[-1].summary == ("Consent to process health data withdrawn by the patient on the "
                                            "portal: the journey stops here, no stage takes a next step")
