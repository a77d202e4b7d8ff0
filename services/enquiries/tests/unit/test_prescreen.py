"""Every pre-screen rule, its boundaries, and how rules combine; today is always injected."""
from dataclasses import replace
from datetime import date

import pytest

from services.enquiries.domain.prescreen import (
    CIRCULATORY,
    DIABETES,
    LEVEL_NOT_TREATED,
    NOT_MATURED,
    SMOKING,
    STOPPED_RECENTLY,
    Applicant,
    Thresholds,
    add_months,
    age_on,
    prescreen,
    status_after,
)

TODAY = date(2025, 6, 15)
RULES = Thresholds(version="test-7")
HEALTHY = Applicant(date_of_birth=date(1980, 3, 1), amputation_level="transfemoral", smoking_status="never",
                    smoking_stopped_on=None, diabetes=False, circulatory_disease=False)


def screen(today=TODAY, thresholds=RULES, **changes):
    return prescreen(replace(HEALTHY, **changes), today, thresholds)


def test_a_healthy_adult_transfemoral_non_smoker_passes_with_no_rule_fired():
    outcome = screen()
    assert (outcome.outcome, outcome.rules_fired, outcome.earliest_surgery_date) == ("passed", (), None)


def test_every_outcome_carries_the_rule_set_version():
    assert screen().rule_set_version == "test-7"
    assert screen(diabetes=True).rule_set_version == "test-7"


def test_someone_who_turned_18_today_is_physically_matured():
    assert screen(date_of_birth=date(2007, 6, 15)).outcome == "passed"


def test_someone_18_tomorrow_is_17_today_and_declined_as_not_matured():
    outcome = screen(date_of_birth=date(2007, 6, 16))
    assert (outcome.outcome, outcome.rules_fired) == ("declined", (NOT_MATURED,))


def test_the_same_birth_date_passes_once_today_moves_to_the_18th_birthday():
    born = date(2007, 6, 16)
    assert screen(date_of_birth=born, today=date(2025, 6, 15)).outcome == "declined"
    assert screen(date_of_birth=born, today=date(2025, 6, 16)).outcome == "passed"


def test_a_leap_day_birthday_comes_of_age_on_the_first_of_march():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_the_minimum_age_comes_from_the_thresholds_not_the_code():
    strict = replace(RULES, minimum_age_years=21)
    assert screen(date_of_birth=date(2005, 1, 1), thresholds=strict).rules_fired == (NOT_MATURED,)


def test_diabetes_is_declined():
    assert (screen(diabetes=True).outcome, screen(diabetes=True).rules_fired) == ("declined", (DIABETES,))


def test_circulatory_disease_is_declined():
    outcome = screen(circulatory_disease=True)
    assert (outcome.outcome, outcome.rules_fired) == ("declined", (CIRCULATORY,))


def test_a_current_smoker_is_on_hold():
    outcome = screen(smoking_status="current")
    assert (outcome.outcome, outcome.rules_fired) == ("on_hold", (SMOKING,))
    assert outcome.earliest_surgery_date is None


def test_someone_who_stopped_a_month_ago_goes_on_with_surgery_no_earlier_than_three_months_after():
    outcome = screen(smoking_status="stopped", smoking_stopped_on=date(2025, 5, 15))
    assert outcome.outcome == "passed"
    assert outcome.rules_fired == (STOPPED_RECENTLY,)
    assert outcome.earliest_surgery_date == date(2025, 8, 15)


def test_someone_who_stopped_exactly_three_months_ago_has_no_smoking_constraint_left():
    outcome = screen(smoking_status="stopped", smoking_stopped_on=date(2025, 3, 15))
    assert (outcome.outcome, outcome.rules_fired, outcome.earliest_surgery_date) == ("passed", (), None)


def test_someone_who_stopped_three_months_ago_less_one_day_still_waits_until_tomorrow():
    outcome = screen(smoking_status="stopped", smoking_stopped_on=date(2025, 3, 16))
    assert outcome.rules_fired == (STOPPED_RECENTLY,)
    assert outcome.earliest_surgery_date == date(2025, 6, 16)


def test_the_smoking_stop_period_comes_from_the_thresholds():
    six_months = replace(RULES, smoking_stop_months=6)
    outcome = screen(smoking_status="stopped", smoking_stopped_on=date(2025, 3, 15), thresholds=six_months)
    assert outcome.earliest_surgery_date == date(2025, 9, 15)


@pytest.mark.parametrize("level", ["transtibial", "knee_disarticulation", "transhumeral", "transradial",
                                   "hand", "finger", "hip_disarticulation"])
def test_a_level_not_treated_yet_is_waitlisted_not_declined(level):
    outcome = screen(amputation_level=level)
    assert (outcome.outcome, outcome.rules_fired) == ("waitlisted", (LEVEL_NOT_TREATED,))


def test_a_level_added_to_the_treated_levels_passes():
    wider = replace(RULES, treated_levels=frozenset({"transfemoral", "transtibial"}))
    assert screen(amputation_level="transtibial", thresholds=wider).outcome == "passed"


def test_every_rule_that_fires_is_listed_and_the_most_restrictive_outcome_wins():
    outcome = screen(date_of_birth=date(2010, 1, 1), diabetes=True, circulatory_disease=True,
                     smoking_status="current", amputation_level="hand")
    assert outcome.outcome == "declined"
    assert outcome.rules_fired == (NOT_MATURED, DIABETES, CIRCULATORY, SMOKING, LEVEL_NOT_TREATED)


def test_a_smoker_with_a_level_not_treated_yet_is_waitlisted():
    outcome = screen(smoking_status="current", amputation_level="transtibial")
    assert (outcome.outcome, outcome.rules_fired) == ("waitlisted", (SMOKING, LEVEL_NOT_TREATED))


def test_a_recent_quitter_on_the_waitlist_keeps_the_earliest_surgery_date():
    outcome = screen(smoking_status="stopped", smoking_stopped_on=date(2025, 6, 1), amputation_level="hand")
    assert outcome.outcome == "waitlisted"
    assert outcome.earliest_surgery_date == date(2025, 9, 1)


def test_a_diabetic_smoker_is_declined_not_on_hold():
    outcome = screen(diabetes=True, smoking_status="current")
    assert (outcome.outcome, outcome.rules_fired) == ("declined", (DIABETES, SMOKING))


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2025, 10, 31), 3, date(2026, 1, 31)),
    (date(2025, 1, 15), 12, date(2026, 1, 15)),
])
def test_adding_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_each_outcome_moves_the_enquiry_to_its_status():
    assert [status_after(o) for o in ("passed", "on_hold", "waitlisted", "declined")] == \
        ["screening", "on_hold", "waitlisted", "declined"]
