"""The supervised schedule, the checks on dates and pain, and when staff are alerted."""
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from services.rehabilitation.domain import (
    Rules,
    SessionFact,
    attention_reasons,
    check_date,
    check_pain,
    physio_schedule,
)
from services.rehabilitation.settings import parse
from shared.config import load_config
from shared.errors import Invalid

RULES = Rules()
DAY = date(2026, 3, 2)


def sessions(*pairs):
    return [SessionFact(DAY + timedelta(days=3 * i), D(load), pain) for i, (load, pain) in enumerate(pairs)]


def test_two_sessions_a_week_are_planned_from_the_day_after_discharge_to_the_planned_end():
    planned = physio_schedule(DAY, DAY + timedelta(days=28), per_week=2)
    assert planned[:4] == [date(2026, 3, 3), date(2026, 3, 6), date(2026, 3, 10), date(2026, 3, 13)]
    assert len(planned) == 8 and planned[-1] <= DAY + timedelta(days=28)


def test_no_progress_across_two_sessions_needs_attention():
    assert attention_reasons(sessions((20, 2), (25, 2), (25, 2), (20, 2)), D(41), RULES) == ["no_progress"]


def test_one_session_without_progress_is_not_yet_a_concern():
    assert attention_reasons(sessions((20, 2), (25, 2), (25, 2)), D(41), RULES) == []
    assert attention_reasons(sessions((20, 2), (20, 2)), D(41), RULES) == []


def test_holding_the_target_is_not_falling_behind():
    assert attention_reasons(sessions((35, 2), (41, 2), (41, 2), (41, 2)), D(41), RULES) == []


def test_pain_rising_at_two_sessions_in_a_row_needs_attention():
    assert attention_reasons(sessions((20, 1), (25, 3), (30, 5)), D(41), RULES) == ["pain_rising"]
    assert attention_reasons(sessions((20, 1), (25, 3), (30, 3)), D(41), RULES) == []


def test_both_reasons_are_given_when_both_apply():
    reasons = attention_reasons(sessions((25, 1), (25, 3), (20, 6)), D(41), RULES)
    assert reasons == ["no_progress", "pain_rising"]


def test_a_date_outside_the_stay_or_in_the_future_is_refused():
    first, last, today = DAY, DAY + timedelta(days=30), DAY + timedelta(days=10)
    check_date(DAY + timedelta(days=5), first, last, today, "session_date")
    with pytest.raises(Invalid, match="outside the stay"):
        check_date(DAY - timedelta(days=1), first, last, today, "session_date")
    with pytest.raises(Invalid, match="outside the stay"):
        check_date(last + timedelta(days=1), first, last, last + timedelta(days=5), "session_date")
    with pytest.raises(Invalid, match="future"):
        check_date(today + timedelta(days=1), first, last, today, "session_date")


@pytest.mark.parametrize("score", [-1, 11])
def test_a_pain_score_outside_its_scale_is_refused(score):
    with pytest.raises(Invalid, match="pain score"):
        check_pain(score, RULES)


def test_the_config_file_gives_the_documented_rules():
    rules = parse(load_config())
    assert rules == Rules()


def test_an_unknown_rounding_mode_is_refused_at_start_up():
    with pytest.raises(ValueError, match="target_rounding"):
        parse({"REHABILITATION": {"target_rounding": "up-ish"}})
