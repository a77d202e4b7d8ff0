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


def test_a_time_zone_must_be_a_zone_not_a_region_of_the_database():
    import pytest
    from marshmallow import ValidationError

    from shared.contracts.api.followup import CheckupPreferencesForm
    loaded = CheckupPreferencesForm().load({"channel": "video", "time_zone": "Europe/Oslo"})
    assert loaded["time_zone"] == "Europe/Oslo"
    for odd in ("Europe", "Mars/Olympus", "../../etc/passwd"):
        with pytest.raises(ValidationError):
            CheckupPreferencesForm().load({"channel": "video", "time_zone": odd})
