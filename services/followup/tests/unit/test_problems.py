"""A problem the patient reports: which complication it is, and when the patient must act now."""
from datetime import date

import pytest

from services.followup.domain import problems
from shared.contracts.api import followup as api
from shared.errors import Invalid

TODAY = date(2026, 3, 2)


def test_signs_of_infection_with_fever_send_the_patient_to_a_doctor_now():
    found = problems.urgency("infection_signs", ["fever", "discharge"], None)
    assert (found.urgent, found.advice, found.reasons) == (True, problems.SEE_DOCTOR_NOW,
                                                           ("fever_with_infection_signs",))


def test_irritated_skin_without_alarming_signs_waits_for_the_clinic_to_call():
    assert problems.urgency("stoma_irritation", ["discharge"], 3) == problems.Urgency(
        False, problems.CLINIC_WILL_CALL, ())


def test_a_fall_after_which_the_leg_cannot_bear_weight_is_a_possible_fracture_seen_today():
    found = problems.urgency("fall", ["cannot_bear_weight"], 5)
    assert found.advice == problems.SEE_DOCTOR_NOW and "fall_with_possible_fracture" in found.reasons
    assert problems.complication_of("fall") == "fracture"


def test_severe_pain_or_bleeding_means_calling_the_clinic_now():
    assert problems.urgency("pain", [], 8).advice == problems.CALL_NOW
    assert problems.urgency("pain", [], 7).urgent is False
    assert problems.urgency("stoma_irritation", ["bleeding"], None).advice == problems.CALL_NOW


def test_a_report_names_a_known_problem_and_does_not_start_in_the_future():
    with pytest.raises(Invalid) as refused:
        problems.check_report("headache", [], None, None, TODAY)
    assert "problem" in refused.value.details["fields"]
    with pytest.raises(Invalid) as refused:
        problems.check_report("pain", [], 4, date(2026, 3, 3), TODAY)
    assert "started_on" in refused.value.details["fields"]
    assert problems.check_report("pain", ["fever", "fever"], 4, TODAY, TODAY) == ["fever"]


def test_the_api_offers_exactly_the_problems_and_signs_the_rules_know():
    assert (api.PROBLEMS, api.SYMPTOMS) == (problems.PROBLEMS, problems.SYMPTOMS)
