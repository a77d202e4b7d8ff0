"""The SURGERY config section: operating days, closed days, and a stay that must make sense."""
from datetime import date

import pytest

from services.surgery.settings import parse as parse_settings


def test_dutch_public_holidays_and_extra_closed_dates_close_the_calendar():
    settings = parse_settings({"SURGERY": {"closed_dates": ["2027-07-27", date(2027, 7, 28)]}})
    closed = settings.calendar(date(2027, 1, 1), date(2027, 12, 31)).closed_days
    assert {date(2027, 4, 27), date(2027, 12, 25), date(2027, 5, 6)} <= closed  # King's Day, Xmas, Ascension
    assert {date(2027, 7, 27), date(2027, 7, 28)} <= closed
    assert date(2027, 4, 28) not in closed


def test_operating_weekdays_are_read_by_name():
    settings = parse_settings({"SURGERY": {"operating_weekdays": ["Mon", "wed", "FRIDAY"]}})
    assert settings.operating_weekdays == {0, 2, 4}


def test_a_configured_stay_outside_four_to_six_weeks_stops_the_service():
    with pytest.raises(ValueError):
        parse_settings({"SURGERY": {"rehab_days": 45}})


def test_the_shipped_config_plans_a_stay_within_four_to_six_weeks():
    from services.surgery.domain.calendar import plan_for
    from shared.config import load_config
    settings = parse_settings(load_config())
    assert 28 <= plan_for(date(2027, 3, 24), settings.rules).stay_days <= 42
    assert settings.rules.travel_lead_days == 21
