"""A second opinion is booked, held or missed (then booked again), and concluded with an outcome."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.enquiries.domain import second_opinion as so
from shared.contracts.api.enquiries import commands
from shared.contracts.enquiries import SECOND_OPINION_OUTCOMES
from shared.errors import Conflict, Invalid

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_a_waiting_second_opinion_is_booked_in_the_future_and_a_missed_one_can_be_booked_again():
    for waiting in (so.AWAITING, so.MISSED):
        so.check_can_book(waiting, NOW + timedelta(days=3), NOW)
    with pytest.raises(Invalid) as past:
        so.check_can_book(so.AWAITING, NOW - timedelta(minutes=1), NOW)
    assert "scheduled_at" in past.value.details["fields"]


def test_a_booked_or_held_or_concluded_second_opinion_cannot_be_booked_twice():
    for status in (so.BOOKED, so.HELD, so.CONCLUDED):
        with pytest.raises(Conflict):
            so.check_can_book(status, NOW + timedelta(days=3), NOW)


def test_an_appointment_is_held_or_missed_only_once_its_day_has_come_at_the_clinic():
    late_evening = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # already 4 December in Amsterdam
    with pytest.raises(Conflict):
        so.check_can_record(so.BOOKED, so.HELD, late_evening, date(2026, 12, 3), AMSTERDAM)
    so.check_can_record(so.BOOKED, so.HELD, late_evening, date(2026, 12, 4), AMSTERDAM)
    so.check_can_record(so.BOOKED, so.MISSED, late_evening, date(2026, 12, 10), AMSTERDAM)


def test_a_held_or_missed_appointment_is_not_recorded_again_nor_moved():
    with pytest.raises(Conflict):
        so.check_can_record(so.HELD, so.MISSED, NOW, NOW.date(), AMSTERDAM)
    with pytest.raises(Conflict):
        so.check_can_move(so.MISSED, NOW + timedelta(days=1), NOW)
    so.check_can_move(so.BOOKED, NOW + timedelta(days=1), NOW)
    with pytest.raises(Invalid):
        so.check_can_move(so.BOOKED, NOW - timedelta(days=1), NOW)


def test_a_clinical_outcome_needs_a_held_appointment_but_the_person_may_withdraw_at_any_time():
    for status in (so.AWAITING, so.BOOKED, so.MISSED):
        with pytest.raises(Conflict):
            so.check_can_conclude(status, "advised_to_enquire")
        so.check_can_conclude(status, "patient_withdrew")
    for outcome in SECOND_OPINION_OUTCOMES:
        so.check_can_conclude(so.HELD, outcome)
    with pytest.raises(Conflict):
        so.check_can_conclude(so.CONCLUDED, "patient_withdrew")


def test_the_suitability_enquiry_starts_with_the_persons_contact_details_and_consents_only():
    second_opinion = {key: f"value of {key}" for key in so.CARRIED_OVER} | {
        "id": "E-1", "journey_id": "J-1", "status": "concluded", "second_opinion_note": "private"}
    carried = so.carried_over(second_opinion)
    assert set(carried) == {"name", "email", "phone", "country", "preferred_language",
                            "prosthesis_complaints", "amputation_level", "privacy_consent",
                            "health_data_consent", "marketing_consent"}


def test_the_health_questions_still_unanswered_are_those_the_pre_screen_needs_and_does_not_know():
    assert so.unanswered({"amputation_level": "transfemoral"}) == [
        "date_of_birth", "amputation_side", "years_since_amputation", "smoking_status", "diabetes",
        "circulatory_disease", "body_weight_kg"]
    assert so.unanswered({key: False for key in so.HEALTH_QUESTIONS}) == []


def test_every_health_question_can_be_answered_through_the_api():
    assert set(so.HEALTH_QUESTIONS) <= set(commands.HealthAnswers().fields)
    assert {"booked", "held", "missed", "concluded", "awaiting_health"} <= set(commands.ENQUIRY_STATUSES)
