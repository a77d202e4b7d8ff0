"""The JOURNEY config section, read once per container (`settings = Settings(parse)`)."""
from dataclasses import dataclass

import holidays

from services.journey.domain.retention import Rules
from services.journey.domain.stalls import Limits
from shared.config import section

DEFAULTS = {
    "enquiry_unanswered_working_days": 2,
    "travel_conflict_open_days": 0, "holidays_country": "NL", "retention_years": 20,
    "enquirer_retention_months": 24, "declined_retention_years": 20,
    "second_opinion_unbooked_working_days": 5, "second_opinion_outcome_working_days": 2,
    "scheduling_blocked_days": 0, "desk_task_open_days": 0,
    "erasure_services": ["enquiries", "payments", "surgery", "rehabilitation", "travel", "followup",
                         "journey"],
}


@dataclass(frozen=True)
class Settings:
    """How long a journey may wait before it is stalled, and who answers an erasure."""
    limits: Limits
    holidays: object          # a container of dates: public holidays that are not working days
    retention_years: int
    erasure_services: tuple[str, ...]
    retention: Rules | None = None   # how long each kind of record is kept (domain/retention.py)


def parse(config: dict) -> Settings:
    s = section(config, "JOURNEY", **DEFAULTS)
    limits = Limits(**{name: int(s[name]) for name in ("enquiry_unanswered_working_days",
                                                       "travel_conflict_open_days",
                                                       "second_opinion_unbooked_working_days",
                                                       "second_opinion_outcome_working_days",
                                                       "scheduling_blocked_days", "desk_task_open_days")})
    return Settings(limits=limits, holidays=holidays.country_holidays(s["holidays_country"]),
                    retention_years=int(s["retention_years"]),
                    erasure_services=tuple(s["erasure_services"]),
                    retention=Rules(enquirer_months=int(s["enquirer_retention_months"]),
                                    declined_years=int(s["declined_retention_years"]),
                                    patient_years=int(s["retention_years"])))
