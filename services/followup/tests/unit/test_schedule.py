from datetime import date

import pytest

from services.followup.domain.schedule import (
    add_months,
    appointment,
    check_channel,
    plan_checkups,
    time_zone_for,
)
from shared.errors import Invalid

OFFSETS = ["6 weeks", "3 months", "6 months", "12 months"]


def test_checkups_fall_6_weeks_3_6_12_months_after_surgery_then_once_a_year():
    plan = plan_checkups(date(2025, 3, 10), home_from=date(2025, 4, 14), offsets=OFFSETS, yearly_for_years=2)
    assert [(c.label, c.due_on) for c in plan.checkups] == [
        ("6 weeks", date(2025, 4, 21)), ("3 months", date(2025, 6, 10)), ("6 months", date(2025, 9, 10)),
        ("12 months", date(2026, 3, 10)), ("year 2", date(2027, 3, 10)), ("year 3", date(2028, 3, 10))]
    assert plan.skipped == []


def test_a_checkup_due_before_the_patient_flew_home_is_skipped_and_said_so():
    plan = plan_checkups(date(2025, 3, 10), home_from=date(2025, 4, 25), offsets=OFFSETS, yearly_for_years=0)
    assert plan.checkups[0].label == "3 months"
    assert plan.skipped == ["6 weeks"]


def test_a_month_later_than_the_31st_is_the_last_day_of_a_shorter_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)


def test_the_time_zone_comes_from_the_country_and_is_marked_assumed_when_unknown():
    zones = {"no": "Europe/Oslo"}
    assert time_zone_for("NO", zones, "Europe/Amsterdam") == ("Europe/Oslo", False)
    assert time_zone_for("XX", zones, "Europe/Amsterdam") == ("Europe/Amsterdam", True)
    assert time_zone_for(None, zones, "Europe/Amsterdam") == ("Europe/Amsterdam", True)


def test_a_checkup_is_at_the_patients_own_hour_and_shown_in_clinic_time_too():
    local, clinic = appointment(date(2025, 7, 1), "10:00", "America/New_York", "Europe/Amsterdam")
    assert local.isoformat() == "2025-07-01T10:00:00-04:00"
    assert clinic.isoformat() == "2025-07-01T16:00:00+02:00"


def test_a_telephone_checkup_has_no_video_app_and_unknown_channels_are_refused():
    check_channel("video", "facetime")
    check_channel("telephone", None)
    with pytest.raises(Invalid):
        check_channel("telephone", "skype")
    with pytest.raises(Invalid):
        check_channel("carrier_pigeon", None)
