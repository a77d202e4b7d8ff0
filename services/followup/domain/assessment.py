"""Reviews of incoming images, the specialist's assessment, and escalations with deadlines."""
from datetime import date, timedelta

from shared.errors import Invalid

FINE, WATCH, CONCERN = "fine", "watch", "concern"
ASSESSMENT_OUTCOMES = (FINE, WATCH, CONCERN)
# JOURNEY.md stage 6: the complications the clinic must act on.
COMPLICATIONS = ("infection", "bone_inflammation", "loosening", "fracture", "stoma_irritation", "pain")
# Pain in the first year after surgery (muscular, adhesion) is expected and has its own deadline
# (config FOLLOWUP.escalation_days.first_year_pain); later, pain is escalated as plain `pain`.
PAIN, FIRST_YEAR_PAIN = "pain", "first_year_pain"
SUBJECTS = ("image", "checkup")


def review_due(received_on: date, review_due_days: int) -> date:
    return received_on + timedelta(days=review_due_days)


def check_assessment(outcome: str, concerns: list[str]) -> list[str]:
    """A concern names at least one complication; fine and watch name none. Returns them, once each."""
    if outcome not in ASSESSMENT_OUTCOMES:
        raise Invalid("unknown outcome", fields={"outcome": [f"one of {', '.join(ASSESSMENT_OUTCOMES)}"]})
    unknown = [kind for kind in concerns if kind not in COMPLICATIONS]
    if unknown:
        raise Invalid("unknown complication", fields={"concerns": [f"one of {', '.join(COMPLICATIONS)}"]})
    if outcome == CONCERN and not concerns:
        raise Invalid("a concern names the complication", fields={"concerns": ["required for a concern"]})
    if outcome != CONCERN and concerns:
        raise Invalid("only a concern names complications", fields={"concerns": ["only for a concern"]})
    return list(dict.fromkeys(concerns))


# What an assessment sets going, besides closing the image's review (every outcome closes it).
CLOSE, FOCUS_NEXT_CHECKUP, ESCALATE = "close", "focus_next_checkup", "escalate"
_CONSEQUENCE = {FINE: CLOSE, WATCH: FOCUS_NEXT_CHECKUP, CONCERN: ESCALATE}


def consequence(outcome: str) -> str:
    """fine: nothing more; watch: the next check-up looks at it again; concern: escalated."""
    return _CONSEQUENCE[outcome]


def next_checkup(planned: list[tuple[str, date]], today: date) -> str | None:
    """The id of the first planned check-up due today or later (the one a "watch" focuses)."""
    upcoming = sorted((due, checkup_id) for checkup_id, due in planned if due >= today)
    return upcoming[0][1] if upcoming else None


def escalation_kind(kind: str, surgery_date: date | None, today: date) -> str:
    """The kind an escalation is recorded as: pain within a year of the surgery is first-year pain."""
    if kind == PAIN and surgery_date is not None and today < _a_year_after(surgery_date):
        return FIRST_YEAR_PAIN
    return kind


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:   # 29 February
        return day.replace(year=day.year + 1, day=28)


def act_by(kind: str, today: date, deadline_days: dict[str, int], default_days: int) -> date:
    """The date by which the clinic must act on a complication (config: escalation deadlines)."""
    return today + timedelta(days=int(deadline_days.get(kind, default_days)))


def is_overdue(due: date, today: date) -> bool:
    return due < today
