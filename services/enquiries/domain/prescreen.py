"""Pre-screening: a versioned rule set that explains every outcome.

Each rule looks at one fact of the applicant and may fire; the outcome is
the most restrictive effect among the rules that fired. Thresholds come
from config (Thresholds), never from the code, and `today` is passed in.
"""
import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

PASSED, ON_HOLD, WAITLISTED, DECLINED = "passed", "on_hold", "waitlisted", "declined"
# Most restrictive first: a waitlisted smoker stays waitlisted even after stopping.
SEVERITY = (DECLINED, WAITLISTED, ON_HOLD, PASSED)

NOT_MATURED = "not_physically_matured"
DIABETES = "diabetes"
CIRCULATORY = "circulatory_disease"
SMOKING = "currently_smoking"
STOPPED_RECENTLY = "stopped_smoking_recently"
LEVEL_NOT_TREATED = "amputation_level_not_yet_treated"
OVERRIDE = "staff_override"


@dataclass(frozen=True)
class Thresholds:
    version: str
    minimum_age_years: int = 18
    smoking_stop_months: int = 3
    treated_levels: frozenset[str] = field(default_factory=lambda: frozenset({"transfemoral"}))


@dataclass(frozen=True)
class Applicant:
    date_of_birth: date
    amputation_level: str
    smoking_status: str                 # never / current / stopped
    smoking_stopped_on: date | None
    diabetes: bool
    circulatory_disease: bool


@dataclass(frozen=True)
class Outcome:
    outcome: str
    rules_fired: tuple[str, ...]
    rule_set_version: str
    earliest_surgery_date: date | None = None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (30 Nov + 3 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(date_of_birth: date, today: date) -> int:
    """Completed years; a 29 February birthday counts from 1 March in other years."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


Rule = Callable[[Applicant, date, Thresholds], "tuple[str, str] | None"]


def _matured(a: Applicant, today: date, t: Thresholds):
    return (NOT_MATURED, DECLINED) if age_on(a.date_of_birth, today) < t.minimum_age_years else None


def _diabetes(a: Applicant, today: date, t: Thresholds):
    return (DIABETES, DECLINED) if a.diabetes else None


def _circulatory(a: Applicant, today: date, t: Thresholds):
    return (CIRCULATORY, DECLINED) if a.circulatory_disease else None


def _smoking(a: Applicant, today: date, t: Thresholds):
    if a.smoking_status == "current":
        return SMOKING, ON_HOLD
    if a.smoking_status == "stopped" and earliest_after_stopping(a, t) > today:
        return STOPPED_RECENTLY, PASSED      # may go on; surgery waits (earliest_surgery_date)
    return None


def _level(a: Applicant, today: date, t: Thresholds):
    return (LEVEL_NOT_TREATED, WAITLISTED) if a.amputation_level not in t.treated_levels else None


RULES: tuple[Rule, ...] = (_matured, _diabetes, _circulatory, _smoking, _level)


def earliest_after_stopping(a: Applicant, t: Thresholds) -> date:
    return add_months(a.smoking_stopped_on, t.smoking_stop_months)


def prescreen(applicant: Applicant, today: date, thresholds: Thresholds) -> Outcome:
    """Apply every rule; the outcome lists each rule that fired and the rule-set version."""
    fired = [hit for rule in RULES if (hit := rule(applicant, today, thresholds))]
    effects = {effect for _, effect in fired}
    outcome = next(level for level in SEVERITY if level in effects or level == PASSED)
    earliest = None
    if any(name == STOPPED_RECENTLY for name, _ in fired):
        earliest = earliest_after_stopping(applicant, thresholds)
    return Outcome(outcome, tuple(name for name, _ in fired), thresholds.version, earliest)


STATUS_BY_OUTCOME = {PASSED: "screening", ON_HOLD: "on_hold", WAITLISTED: "waitlisted",
                     DECLINED: "declined"}


def status_after(outcome: str) -> str:
    """The enquiry's status once a pre-screen outcome (automatic or overridden) applies."""
    return STATUS_BY_OUTCOME[outcome]
