"""The ENQUIRIES config section, read once per container (the service declares `Settings(parse)`)."""
from dataclasses import dataclass
from datetime import timedelta

from services.enquiries.domain.prescreen import Thresholds
from shared.config import section

DEFAULTS = dict(rule_set_version="1", minimum_age_years=18, smoking_stop_months=3,
                treated_amputation_levels=["transfemoral"], dedupe_window_minutes=10,
                questionnaire_id="prosthesis-use", questionnaire_version=1, questionnaire_overdue_days=10,
                prescreen_review_days=30, consent_text_version="2026-01")


@dataclass(frozen=True)
class Settings:
    thresholds: Thresholds
    dedupe_window: timedelta
    questionnaire_id: str
    questionnaire_version: int
    questionnaire_overdue_days: int = 10   # opened and not submitted this long: questionnaire_overdue
    prescreen_review_days: int = 30        # an automatic outcome not passed: staff review it
    consent_text_version: str = "2026-01"  # what a form that names no version agreed to


def parse(config: dict) -> Settings:
    raw = section(config, "ENQUIRIES", **DEFAULTS)
    thresholds = Thresholds(version=str(raw["rule_set_version"]),
                            minimum_age_years=int(raw["minimum_age_years"]),
                            smoking_stop_months=int(raw["smoking_stop_months"]),
                            treated_levels=frozenset(raw["treated_amputation_levels"]))
    return Settings(thresholds=thresholds,
                    dedupe_window=timedelta(minutes=float(raw["dedupe_window_minutes"])),
                    questionnaire_id=raw["questionnaire_id"],
                    questionnaire_version=int(raw["questionnaire_version"]),
                    questionnaire_overdue_days=int(raw["questionnaire_overdue_days"]),
                    prescreen_review_days=int(raw["prescreen_review_days"]),
                    consent_text_version=str(raw["consent_text_version"]))
