"""Daily rehabilitation days: done or missed, and what missed days do to the end of the stay."""
from datetime import date, timedelta

import pytest

from services.rehabilitation.domain import (
    DONE,
    MISSED,
    DayFact,
    Rules,
    check_day,
    departure_warning_changed,
    standing,
)
from shared.errors import Invalid

START = date(2027, 3, 1)              # ward discharge; the first plan day is the next
PLANNED_END = date(2027, 3, 29)
DEPARTURE = date(2027, 3, 31)
RULES = Rules()


def _standing(*days: DayFact, today: date = date(2027, 3, 20), departure: date | None = DEPARTURE,
              attended: int = 0, missed_sessions: int = 0):
    return standing(days, attended, missed_sessions, START, PLANNED_END, departure, today)


def missed(day: int, reason: str = "unwell") -> DayFact:
    return DayFact(START + timedelta(days=day), MISSED, reason)


def done(day: int) -> DayFact:
    return DayFact(START + timedelta(days=day), DONE)


def test_each_missed_day_moves_the_projected_end_one_day_later():
    now = _standing(done(1), missed(2), missed(3), done(4))
    assert (now.done_days, now.missed_days, now.days_behind) == (2, 2, 2)
    assert now.projected_end == PLANNED_END + timedelta(days=2)


def test_a_patient_who_missed_nothing_is_not_behind_and_fits_before_departure():
    now = _standing(done(1), done(2))
    assert now.days_behind == 0 and now.projected_end == PLANNED_END and now.days_past_departure == 0


def test_missed_days_beyond_the_slack_before_departure_put_the_end_past_it():
    assert _standing(missed(1), missed(2)).days_past_departure == 0      # two days of slack used up
    assert _standing(missed(1), missed(2), missed(3)).days_past_departure == 1
    assert _standing(missed(1), missed(2), missed(3), missed(4), missed(5)).days_past_departure == 3


def test_without_a_booked_departure_nothing_is_past_it():
    assert _standing(missed(1), missed(2), missed(3), departure=None).days_past_departure == 0


def test_a_corrected_day_counts_once_as_its_latest_record():
    now = _standing(missed(2), done(2))
    assert (now.missed_days, now.done_days) == (0, 1)


def test_past_plan_days_not_yet_recorded_are_counted_apart_not_as_missed():
    now = _standing(done(1), missed(2), today=START + timedelta(days=6))   # days 1..5 are due
    assert now.unrecorded_days == 3 and now.missed_days == 1


def test_supervised_sessions_attended_and_missed_are_counted_and_do_not_move_the_end():
    now = _standing(attended=3, missed_sessions=1)
    assert (now.attended_sessions, now.missed_sessions, now.projected_end) == (3, 1, PLANNED_END)


def test_the_warning_is_told_when_the_end_passes_departure_moves_further_or_fits_again():
    past_by_one = _standing(missed(1), missed(2), missed(3))
    assert departure_warning_changed(past_by_one, 0)
    assert not departure_warning_changed(past_by_one, 1)        # told already
    assert departure_warning_changed(_standing(missed(1), missed(2), missed(3), missed(4)), 1)
    assert departure_warning_changed(_standing(missed(1)), 1)    # corrected: fits again
    assert not departure_warning_changed(_standing(missed(1)), 0)


def test_a_missed_day_needs_a_known_reason_code():
    today = date(2027, 3, 20)
    with pytest.raises(Invalid, match="needs a reason") as refused:
        check_day(DayFact(date(2027, 3, 5), MISSED), START, DEPARTURE, today, RULES)
    assert "reason_code" in refused.value.details["fields"]
    with pytest.raises(Invalid, match="not known"):
        check_day(DayFact(date(2027, 3, 5), MISSED, "overslept"), START, DEPARTURE, today, RULES)
    check_day(DayFact(date(2027, 3, 5), MISSED, "pain"), START, DEPARTURE, today, RULES)


def test_a_day_done_takes_no_reason():
    with pytest.raises(Invalid, match="takes no reason"):
        check_day(DayFact(date(2027, 3, 5), DONE, "pain"), START, DEPARTURE, date(2027, 3, 20), RULES)


def test_a_day_outside_the_stay_or_ahead_of_today_is_refused():
    today = date(2027, 3, 20)
    with pytest.raises(Invalid, match="outside"):
        check_day(DayFact(START, DONE), START, DEPARTURE, today, RULES)     # the discharge day itself
    with pytest.raises(Invalid, match="outside"):
        check_day(DayFact(DEPARTURE + timedelta(days=1), DONE), START, DEPARTURE, today, RULES)
    with pytest.raises(Invalid, match="future"):
        check_day(DayFact(today + timedelta(days=1), DONE), START, DEPARTURE, today, RULES)


def test_the_missed_reasons_are_configurable():
    from services.rehabilitation.settings import parse
    rules = parse({"REHABILITATION": {"missed_reasons": ["jet_lag"]}})
    check_day(DayFact(date(2027, 3, 5), MISSED, "jet_lag"), START, DEPARTURE, date(2027, 3, 20), rules)
    with pytest.raises(Invalid):
        check_day(DayFact(date(2027, 3, 5), MISSED, "unwell"), START, DEPARTURE, date(2027, 3, 20), rules)
