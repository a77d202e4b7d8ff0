"""The ENQUIRIES config section, read once per container, and the clinic's clock."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from nameko.extensions import DependencyProvider

from services.enquiries.domain.prescreen import Thresholds
from shared import clock
from shared.config import section

DEFAULTS = dict(rule_set_version="1", minimum_age_years=18, smoking_stop_months=3,
                treated_amputation_levels=["transfemoral"], timezone="Europe/Amsterdam",
                dedupe_window_minutes=10, questionnaire_id="prosthesis-use", questionnaire_version=1)


@dataclass(frozen=True)
class Settings:
    thresholds: Thresholds
    dedupe_window: timedelta
    timezone: ZoneInfo
    questionnaire_id: str
    questionnaire_version: int

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        """Today at the clinic: the date the rules are applied on."""
        return clock.today(self.timezone)


def settings_from(config: dict) -> Settings:
    raw = section(config, "ENQUIRIES", **DEFAULTS)
    thresholds = Thresholds(version=str(raw["rule_set_version"]),
                            minimum_age_years=int(raw["minimum_age_years"]),
                            smoking_stop_months=int(raw["smoking_stop_months"]),
                            treated_levels=frozenset(raw["treated_amputation_levels"]))
    return Settings(thresholds=thresholds,
                    dedupe_window=timedelta(minutes=float(raw["dedupe_window_minutes"])),
                    timezone=ZoneInfo(raw["timezone"]),
                    questionnaire_id=raw["questionnaire_id"],
                    questionnaire_version=int(raw["questionnaire_version"]))


class EnquirySettings(DependencyProvider):
    """Injects the service's Settings (thresholds, dedupe window, clock, questionnaire)."""

    def setup(self):
        self.settings = settings_from(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.settings
