"""Sessions at the hotel (JOURNEY.md stage 4): the supervised schedule, what an entry must
satisfy, and when a patient needs staff attention.

`today` is the clinic's date, passed in by the use case (a date, never a clock).
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.rehabilitation.domain.rules import Rules
from shared.errors import Invalid


def check_pain(score: int, rules: Rules) -> None:
    """A pain score must lie on the configured scale."""
    if not rules.pain_min <= score <= rules.pain_max:
        raise Invalid("the pain score is outside its scale",
                      fields={"pain_score": [f"must be between {rules.pain_min} and {rules.pain_max}"]})


def check_date(on: date, first: date, last: date, today: date, field: str) -> None:
    """A date must fall within the stay and not in the future."""
    if not first <= on <= last:
        raise Invalid("the date is outside the stay", fields={field: [f"must be between {first} and {last}"]})
    if on > today:
        raise Invalid("the date is in the future", fields={field: ["must not be after today"]})


def physio_schedule(start: date, end: date, per_week: int) -> list[date]:
    """Supervised sessions spread evenly over each week, from the day after discharge to `end`."""
    sessions, i = [], 0
    while (day := start + timedelta(days=1 + (i * 7) // per_week)) <= end:
        sessions.append(day)
        i += 1
    return sessions


@dataclass(frozen=True)
class SessionFact:
    on: date
    load_kg: Decimal
    pain: int


def attention_reasons(sessions: Sequence[SessionFact], target_kg: Decimal, rules: Rules) -> list[str]:
    """Why a patient needs staff attention now, judged on sessions in date order."""
    reasons = []
    if _stalled(sessions, target_kg, rules.no_progress_sessions):
        reasons.append("no_progress")
    if _pain_rising(sessions, rules.pain_rising_sessions):
        reasons.append("pain_rising")
    return reasons


def _stalled(sessions: Sequence[SessionFact], target_kg: Decimal, n: int) -> bool:
    """The last n sessions each stayed at or below the best load reached before them."""
    if len(sessions) <= n:
        return False
    best_before = max(s.load_kg for s in sessions[:-n])
    return best_before < target_kg and all(s.load_kg <= best_before for s in sessions[-n:])


def _pain_rising(sessions: Sequence[SessionFact], n: int) -> bool:
    """Pain went up at each of the last n sessions."""
    if len(sessions) <= n:
        return False
    tail = [s.pain for s in sessions[-(n + 1):]]
    return all(a < b for a, b in zip(tail, tail[1:], strict=False))
