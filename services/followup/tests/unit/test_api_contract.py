"""The API contract (shared/contracts/api/followup.py) speaks the follow-up rules' vocabulary."""
from services.followup.domain import assessment, checkups, guidance, schedule
from shared.contracts.api import followup as api


def test_the_api_offers_exactly_the_choices_the_follow_up_rules_know():
    assert api.CHANNELS == schedule.CHANNELS and api.VIDEO_APPS == schedule.VIDEO_APPS
    assert api.CHECKUP_OUTCOMES == checkups.OUTCOMES
    assert (api.STOMA_CONDITIONS, api.ACTIVITY_LEVELS, api.IMPLANT_STABILITY) == (
        checkups.STOMA_CONDITIONS, checkups.ACTIVITY_LEVELS, checkups.IMPLANT_STABILITY)
    assert (api.SUBJECTS, api.ASSESSMENT_OUTCOMES, api.COMPLICATIONS) == (
        assessment.SUBJECTS, assessment.ASSESSMENT_OUTCOMES, assessment.COMPLICATIONS)
    assert api.ADVICE == guidance.ADVICE
