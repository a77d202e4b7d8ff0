"""Retention that ends (domain/retention.py) and a withdrawn consent, judged from the facts alone."""
from datetime import UTC, date, datetime, timedelta

from services.journey.domain.projection import project
from services.journey.domain.retention import Kept, Rules, dates_of, kept
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact

RULES = Rules(enquirer_months=24, declined_years=20, patient_years=20)
START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def received(journey: str, at: datetime = START):
    payload = {"enquiry_id": "E-1", "kind": "suitability", "country": "DE", "preferred_language": "de"}
    return event("enquiries", "enquiry_received", payload, journey, at=at)


def record_of(journey: str, events) -> object:
    return project(journey, [fact(e) for e in events]).record


def test_an_enquirer_is_kept_for_the_configured_months_after_the_journeys_last_fact():
    journey = new_journey()
    recorded = {"enquiry_received": date(2025, 3, 3), "prescreen_decided": date(2025, 4, 12),
                "retention_ended": date(2027, 4, 13)}   # the retention's own fact makes it no younger
    assert kept(record_of(journey, [received(journey)]), dates_of(recorded), RULES) == Kept(
        "enquirer", date(2027, 4, 12))


def test_someone_declined_after_clinical_screening_is_kept_for_the_screening_records_years():
    journey = new_journey()
    declined = event("enquiries", "patient_declined", {"enquiry_id": "E-1", "stage": "screening",
                                                       "reasons": ["bone_quality"]}, journey)
    recorded = {"enquiry_received": date(2025, 3, 3), "patient_declined": date(2025, 3, 13)}
    assert kept(record_of(journey, [received(journey), declined]), dates_of(recorded), RULES) == Kept(
        "declined_after_screening", date(2045, 3, 13))


def test_a_patient_is_kept_twenty_years_after_the_last_treatment_whatever_came_later():
    journey = new_journey()
    record = record_of(journey, [s.event for s in story(journey, START)])
    recorded = {"patient_accepted": date(2025, 3, 3), "rehab_completed": date(2025, 6, 30),
                "checkup_reminder_due": date(2026, 1, 3), "invoice_paid": date(2025, 5, 1)}
    assert kept(record, dates_of(recorded), RULES) == Kept("patient", date(2045, 6, 30))
    leap = {"patient_accepted": date(2024, 2, 29)}
    assert kept(record, dates_of(leap), RULES) == Kept("patient", date(2044, 2, 29))
    assert kept(record, dates_of(leap), Rules(24, 20, 21)) == Kept("patient", date(2045, 2, 28))


def test_an_erased_enquirer_or_a_purged_record_keeps_nothing_to_time():
    journey = new_journey()
    erased = event("journey", "erasure_requested", {"request_id": "R-1"}, journey,
                   at=START + timedelta(days=1))
    recorded = dates_of({"enquiry_received": date(2025, 3, 3)})
    assert kept(record_of(journey, [received(journey), erased]), recorded, RULES) is None
    patient = new_journey()
    purge = event("journey", "erasure_requested", {"request_id": "R-2", "purge": True}, patient,
                  at=START + timedelta(days=9000))
    projection = project(patient, [fact(s.event) for s in story(patient, START)] + [fact(purge)])
    assert kept(projection.record, recorded, RULES) is None and projection.stage == "erasure"


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
