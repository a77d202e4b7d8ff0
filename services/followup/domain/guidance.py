"""Activity guidance (JOURNEY.md stage 6): most things again, impact and contact sports
discouraged, more intensive activity only after about two years."""
from dataclasses import dataclass
from datetime import date

from services.followup.domain.schedule import add_months
from shared.errors import Invalid

ALLOWED, DISCOURAGED, NOT_BEFORE = "allowed", "discouraged", "not_before"
ADVICE = (ALLOWED, DISCOURAGED, NOT_BEFORE)


@dataclass(frozen=True)
class Advice:
    activity: str
    advice: str
    not_before: date | None = None


def default_guidance(surgery_date: date, allowed: list[str], discouraged: list[str],
                     not_before_months: dict[str, int]) -> list[Advice]:
    """The clinic's standard advice for a patient operated on `surgery_date`."""
    advice = [Advice(activity, ALLOWED) for activity in allowed]
    advice += [Advice(activity, DISCOURAGED) for activity in discouraged]
    advice += [Advice(activity, NOT_BEFORE, add_months(surgery_date, int(months)))
               for activity, months in not_before_months.items()]
    return advice


def check_advice(advice: str, not_before: date | None) -> None:
    if advice not in ADVICE:
        raise Invalid("unknown advice", fields={"advice": [f"one of {', '.join(ADVICE)}"]})
    if (advice == NOT_BEFORE) != (not_before is not None):
        raise Invalid("a date goes with not_before, and only with it", fields={"not_before": ["see advice"]})
