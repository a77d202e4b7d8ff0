"""Reminders fall on the right day and hour, in the right time zone."""

from datetime import UTC, date, datetime, time

from services.notifications.domain.reminders import checkup_reminder_at, preop_reminder_at, upcoming


def test_the_preop_reminder_comes_the_morning_before_the_check_at_the_clinic():
    assert preop_reminder_at(date(2026, 11, 2), 1, time(9), "Europe/Amsterdam") == datetime(
        2026, 11, 1, 8, 0, tzinfo=UTC
    )


def test_a_checkup_reminder_comes_two_days_before_at_nine_in_the_patients_own_zone():
    assert checkup_reminder_at(date(2027, 1, 5), 2, time(9), "America/New_York") == datetime(
        2027, 1, 3, 14, 0, tzinfo=UTC
    )


def test_a_reminder_whose_time_has_passed_is_not_sent_late():
    now = datetime(2027, 1, 4, tzinfo=UTC)
    moments = {"a": datetime(2027, 1, 3, tzinfo=UTC), "b": datetime(2027, 1, 9, tzinfo=UTC)}
    assert upcoming(moments, now) == {"b": moments["b"]}
