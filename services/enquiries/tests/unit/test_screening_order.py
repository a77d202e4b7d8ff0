"""Screening steps complete in order, unless staff skip one with a reason."""
import pytest

from services.enquiries.domain import screening as s
from shared.contracts.api.enquiries import commands
from shared.contracts.enquiries import OPTIONAL_SCREENING_STEPS, SCREENING_STEPS
from shared.errors import Conflict, Invalid

ALL_BEFORE_QUESTIONNAIRE = {step: s.COMPLETED for step in s.STEPS[:4]}


def test_the_domain_and_the_contract_agree_on_the_steps_and_their_order():
    assert s.STEPS == SCREENING_STEPS


def test_the_domain_and_the_api_agree_on_examinations_channels_and_appointment_statuses():
    assert (s.EXAMINATIONS, s.CHANNELS, s.APPOINTMENT_STATUSES) == (
        commands.EXAMINATIONS, commands.CHANNELS, commands.APPOINTMENT_STATUSES)


def test_the_first_step_can_be_completed_straight_away():
    s.check_can_complete("outpatient_invitation", {})


def test_a_step_cannot_be_completed_before_the_one_ahead_of_it():
    with pytest.raises(Conflict) as refused:
        s.check_can_complete("psychologist_call", {"outpatient_invitation": s.COMPLETED})
    assert refused.value.details["waiting_for"] == ["consultation"]


def test_a_skipped_step_no_longer_holds_up_the_next():
    s.check_can_complete("psychologist_call", {"outpatient_invitation": s.COMPLETED,
                                               "consultation": s.SKIPPED})


def test_a_step_cannot_be_completed_twice():
    with pytest.raises(Conflict):
        s.check_can_complete("outpatient_invitation", {"outpatient_invitation": s.COMPLETED})


def test_any_pending_step_may_be_skipped_but_not_a_done_one():
    s.check_can_skip("specialist_introduction", {})
    with pytest.raises(Conflict):
        s.check_can_skip("consultation", {"consultation": s.SKIPPED})


def test_an_unknown_step_is_invalid():
    with pytest.raises(Invalid):
        s.check_can_complete("astrology", {})


def test_acceptance_waits_for_every_required_step_but_not_for_optional_examinations():
    with pytest.raises(Conflict) as refused:
        s.check_can_accept(ALL_BEFORE_QUESTIONNAIRE, planned_examinations=0)
    assert refused.value.details["waiting_for"] == ["questionnaire"]
    s.check_can_accept(dict(ALL_BEFORE_QUESTIONNAIRE, questionnaire=s.COMPLETED), planned_examinations=0)


def test_acceptance_waits_for_examinations_still_planned():
    with pytest.raises(Conflict):
        s.check_can_accept(dict(ALL_BEFORE_QUESTIONNAIRE, questionnaire=s.COMPLETED), planned_examinations=1)


def test_the_next_step_is_the_first_required_one_not_done():
    assert s.next_step({}) == "outpatient_invitation"
    done = {"outpatient_invitation": s.COMPLETED, "consultation": s.SKIPPED}
    assert s.next_step(done) == "psychologist_call"


def test_only_appointment_steps_and_examinations_have_appointments():
    s.check_appointment("consultation", None)
    s.check_appointment("additional_examinations", "x_ray")
    for step, examination in [("questionnaire", None), ("additional_examinations", None),
                              ("consultation", "x_ray")]:
        with pytest.raises(Invalid):
            s.check_appointment(step, examination)


def test_a_planned_appointment_can_be_done_missed_or_cancelled_and_then_stays_so():
    for status in ("done", "missed", "cancelled"):
        s.check_transition("planned", status)
    with pytest.raises(Conflict):
        s.check_transition("done", "planned")
    with pytest.raises(Conflict):
        s.check_transition("cancelled", "done")


def test_steps_without_appointments_are_completed_by_staff_or_the_patient_only():
    s.check_manual("outpatient_invitation")
    for step in ("consultation", "questionnaire"):
        with pytest.raises(Conflict):
            s.check_manual(step)


def test_the_domain_and_the_contract_agree_on_which_steps_are_optional():
    assert s.OPTIONAL == frozenset(OPTIONAL_SCREENING_STEPS)
