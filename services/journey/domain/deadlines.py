"""Deadlines as facts: overdue facts that fired (durable timers of their producers) and what
closes them, folded into the record; the board shows each open one as a stall.

Each overdue fact names its subject and its deadline; the journey is stalled from the day after
the deadline until a later fact settles it (the deposit paid, the questionnaire submitted, the
image reviewed, ...). A producer re-dating a deadline (the balance moved with the surgery)
settles the old one: its timer fires again if the new date passes too.
"""
from datetime import date, timedelta

from services.journey.domain.facts import Fact
from services.journey.domain.record import Record

# fact type -> (stall reason, subject field, deadline field)
OPENS: dict[str, tuple[str, str, str]] = {
    "deposit_overdue": ("deposit_unpaid", "invoice_id", "deposit_due"),
    "balance_overdue": ("balance_overdue", "invoice_id", "balance_due"),
    "questionnaire_overdue": ("questionnaire_overdue", "enquiry_id", "due_by"),
    "image_review_overdue": ("review_overdue", "image_id", "review_due"),
    "escalation_overdue": ("escalation_overdue", "escalation_id", "act_by"),
    "checkup_missed": ("checkup_missed", "checkup_id", "window_ends"),
}
# stall reason -> the stages in which it holds the journey up (the others: any open stage)
WHILE: dict[str, tuple[str, ...]] = {"deposit_unpaid": ("payment",), "balance_overdue": ("surgery_planned",),
                                     "questionnaire_overdue": ("screening",)}
# fact type -> [(stall reason it settles, subject field or None for any subject)]
CLOSES: dict[str, list[tuple[str, str | None]]] = {
    "deposit_paid": [("deposit_unpaid", "invoice_id")],
    "invoice_paid": [("deposit_unpaid", "invoice_id"), ("balance_overdue", "invoice_id")],
    "balance_due_dated": [("balance_overdue", "invoice_id")],
    "imaging_reviewed": [("review_overdue", "image_id")],
    "escalation_resolved": [("escalation_overdue", "escalation_id")],
    "checkup_completed": [("checkup_missed", "checkup_id")],
}


def apply(r: Record, f: Fact) -> None:
    """Open or settle the overdue facts this fact speaks of."""
    p = f.payload
    if f.type in OPENS:
        reason, subject, deadline = OPENS[f.type]
        r.overdue[f"{reason}:{p[subject]}"] = {"reason": reason, "since": p[deadline] + timedelta(days=1)}
    for reason, subject in _settles(f):
        key = f"{reason}:{p.get(subject)}" if subject else None
        for open_key in [k for k in r.overdue if k == key or (key is None and k.startswith(reason + ":"))]:
            del r.overdue[open_key]


def _settles(f: Fact) -> list[tuple[str, str | None]]:
    if f.type == "screening_step_completed" and f.payload.get("step") == "questionnaire":
        return [("questionnaire_overdue", None)]
    if f.type == "complication_reported" and f.payload.get("subject") == "image":
        return [("review_overdue", "subject_id")]  # only an assessment raises one: it was reviewed
    return CLOSES.get(f.type, [])


def open_overdue(r: Record, stage: str) -> tuple[tuple[str, date], ...]:
    """(stall reason, since) for each overdue fact still open, oldest first; a payment or the
    questionnaire only while the journey waits for it at its stage (afterwards an unpaid balance is
    finance's, on their attention list, and no longer holds the journey up)."""
    found = [(item["reason"], item["since"]) for item in r.overdue.values()
             if stage in WHILE.get(item["reason"], (stage,))]
    return tuple(sorted(found, key=lambda item: (item[1], item[0])))


def dump(overdue: tuple[tuple[str, date], ...]) -> str:
    """As the projection row keeps them: `reason@YYYY-MM-DD`, comma-separated."""
    return ",".join(f"{reason}@{since.isoformat()}" for reason, since in overdue)


def load(text: str | None) -> tuple[tuple[str, date], ...]:
    pairs = [item.split("@", 1) for item in (text or "").split(",") if item]
    return tuple((reason, date.fromisoformat(since)) for reason, since in pairs)
