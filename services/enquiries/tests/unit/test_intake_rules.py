"""Dates that cannot be true, and the fingerprint that spots a resubmitted form."""
from datetime import UTC, date, datetime, timedelta

from services.enquiries.domain.intake import date_problems, dedupe_bucket, fingerprint
from services.enquiries.settings import parse
from shared.config import load_config

TODAY = date(2025, 6, 15)


def test_a_date_of_birth_tomorrow_is_refused_and_today_is_not():
    assert "date_of_birth" in date_problems({"date_of_birth": date(2025, 6, 16)}, TODAY)
    assert date_problems({"date_of_birth": date(2025, 6, 15)}, TODAY) == {}


def test_a_date_of_birth_more_than_120_years_ago_is_refused():
    assert "date_of_birth" in date_problems({"date_of_birth": date(1900, 1, 1)}, TODAY)


def test_more_years_since_amputation_than_years_of_age_is_refused():
    form = {"date_of_birth": date(2000, 1, 1), "years_since_amputation": 30}
    assert "years_since_amputation" in date_problems(form, TODAY)


def test_a_stopped_smoker_must_say_when_and_not_in_the_future():
    assert "smoking_stopped_on" in date_problems({"smoking_status": "stopped"}, TODAY)
    future = {"smoking_status": "stopped", "smoking_stopped_on": date(2025, 7, 1)}
    assert "smoking_stopped_on" in date_problems(future, TODAY)
    fine = {"smoking_status": "stopped", "smoking_stopped_on": date(2025, 6, 15)}
    assert date_problems(fine, TODAY) == {}


def test_a_stop_date_is_refused_for_someone_who_never_smoked():
    assert "smoking_stopped_on" in date_problems({"smoking_status": "never",
                                                  "smoking_stopped_on": date(2025, 1, 1)}, TODAY)


def test_a_second_opinion_cannot_be_wanted_in_the_past():
    assert "preferred_date" in date_problems({"preferred_date": date(2025, 6, 14)}, TODAY)


def test_the_same_form_has_the_same_fingerprint_whatever_the_email_case_and_spacing():
    first = fingerprint("brochure", {"email": "Ana@Example.org ", "name": "Ana  Silva"})
    again = fingerprint("brochure", {"email": "ana@example.org", "name": "Ana Silva"})
    assert first == again


def test_a_changed_answer_or_another_kind_is_another_fingerprint():
    form = {"email": "ana@example.org", "diabetes": False}
    assert fingerprint("suitability", form) != fingerprint("suitability", dict(form, diabetes=True))
    assert fingerprint("suitability", form) != fingerprint("second_opinion", form)


def test_two_moments_inside_one_window_share_a_bucket_and_the_next_window_does_not():
    window = timedelta(minutes=10)
    start = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
    assert dedupe_bucket(start, window) == dedupe_bucket(start + timedelta(minutes=9), window)
    assert dedupe_bucket(start, window) != dedupe_bucket(start + timedelta(minutes=10), window)


def test_the_shipped_config_holds_the_clinics_thresholds():
    settings = parse(load_config())
    assert settings.thresholds.minimum_age_years == 18
    assert settings.thresholds.smoking_stop_months == 3
    assert settings.thresholds.treated_levels == frozenset({"transfemoral"})
    assert settings.thresholds.version
