"""Where a journey is, and what it is waiting for, judged from its record alone."""
from dataclasses import dataclass
from datetime import date, datetime

from services.journey.domain import payment_flags
from services.journey.domain.deadlines import open_overdue
from services.journey.domain.record import Record
from shared.contracts.enquiries import OPTIONAL_SCREENING_STEPS, SCREENING_STEPS

CLOSED = frozenset({"information", "declined", "cancelled", "consent_withdrawn", "erasure",
                    "second_opinion_concluded"})
# Consents without which nothing about the person may go on (marketing is not one of them).
PROCESSING_CONSENTS = ("privacy", "health_data")
# What an open second opinion waits for, by its status (see fold._second_opinion).
SECOND_OPINION_WAITS = {"awaiting": "second_opinion_appointment", "booked": "second_opinion_visit",
                        "held": "second_opinion_outcome"}


@dataclass(frozen=True)
class Progress:
    """The facts a stall is judged on (stored with the projection)."""
    stage: str
    kind: str | None
    enquiry_received_at: datetime | None
    answered: bool
    accepted_on: date | None
    deposit_paid: bool
    review_due: date | None
    conflict_open_since: datetime | None
    overdue: tuple[tuple[str, date], ...] = ()   # (stall reason, since) of open overdue facts
    second_opinion_waiting_since: datetime | None = None   # for an appointment (asked, or one missed)
    second_opinion_booked_for: datetime | None = None
    second_opinion_held_at: datetime | None = None         # and no outcome yet
    payment_disputed: bool = False                         # the bank has not decided a dispute yet
    balance_due: date | None = None                        # while the balance is unpaid
    scheduling_blocked_since: datetime | None = None       # no surgery date fits: a planner must act
    desk_task_open_since: datetime | None = None           # the oldest travel desk task still open


def stage(r: Record) -> str:
    """The furthest stage the facts have reached; an ending fact ends it."""
    if r.purged_at or (r.erasure_requested_at and not r.accepted):
        return "erasure"
    if any(purpose in r.consents_withdrawn for purpose in PROCESSING_CONSENTS):
        return "consent_withdrawn"   # every stage stops what depends on it; nothing is waited for
    if r.cancelled:
        return "cancelled"
    if r.declined:
        return "declined"
    if r.followup or (r.rehab or {}).get("completed_on"):
        return "follow_up"
    if r.rehab and r.discharged:
        return "rehabilitation"
    if r.performed:
        return "clinical_stay"
    if r.surgery:
        return "surgery_planned"
    if r.accepted:
        return "scheduling" if r.deposit_paid_at else "payment"
    return _before_acceptance(r)


def _before_acceptance(r: Record) -> str:
    outcome = (r.prescreen or {}).get("outcome")
    if r.steps or outcome == "passed":
        return "screening"
    if outcome in ("on_hold", "waitlisted"):
        return outcome
    if r.kind == "brochure":
        return "information"
    if r.kind == "second_opinion":
        concluded = (r.second_opinion or {}).get("status") == "concluded"
        return "second_opinion_concluded" if concluded else "second_opinion"
    return "enquiry"


def waiting_for(r: Record, current: str) -> list[str]:
    """What the journey waits for now, most pressing first (codes; see wording.WAITING)."""
    match current:
        case "enquiry":
            return ["health_questions" if r.health_questions_pending else "prescreen"]
        case "on_hold":
            return ["stop_smoking"]
        case "waitlisted":
            return ["treatment_availability"]
        case "screening":
            return [next_screening_wait(r.steps)]
        case "second_opinion":
            return [SECOND_OPINION_WAITS[(r.second_opinion or {}).get("status", "awaiting")]]
        case "payment":
            return _dispute(r) + (["deposit"] if r.invoice else ["invoice"])
        case "scheduling":
            return _dispute(r) + ["planner_action" if r.scheduling_blocked else "surgery_date"]
        case "surgery_planned":
            return _before_surgery(r)
        case "clinical_stay":
            return ["rehab_plan" if r.discharged else "ward_discharge"]
        case "rehabilitation":
            rehab = r.rehab or {}
            past_departure = ["departure_change"] if rehab.get("days_past_departure") else []
            return past_departure + [_rehab_next(rehab)]
        case "follow_up":
            return _follow_up(r)
    return []


def next_screening_wait(done: list[str]) -> str:
    """The first required step not done; once they all are, the decision (nothing waits for the
    optional additional examinations: the enquiries service refuses a decision while one is planned)."""
    return next((s for s in SCREENING_STEPS if s not in done and s not in OPTIONAL_SCREENING_STEPS),
                "screening_decision")


def _dispute(r: Record) -> list[str]:
    """A disputed payment holds the journey's money until the bank decides: said first."""
    return ["dispute_resolution"] if payment_flags.disputed(r) else []


def _before_surgery(r: Record) -> list[str]:
    waits = _dispute(r)
    if r.conflict:
        waits.append("travel_conflict_resolution")
    if (r.itinerary or {}).get("status") != "confirmed":
        waits.append("itinerary_confirmation")
    if r.invoice and not r.paid_in_full:
        waits.append("balance_payment")
    waits.append("preop_check" if r.preop_fit is None else "surgery" if r.preop_fit else "new_surgery_date")
    return waits


def _rehab_next(rehab: dict) -> str:
    if rehab.get("attention"):
        return "physiotherapist_attention"
    if not rehab.get("load_reached_on"):
        return "target_load"
    return "rehab_completion" if rehab.get("fitted_on") else "prosthesis_fitting"


def _follow_up(r: Record) -> list[str]:
    waits = ["specialist_review"] if open_reviews(r) else []
    if open_complications(r):
        waits.append("complication_action")
    if not r.followup:
        waits.append("followup_plan")
    elif checkups_pending(r):
        waits.append("checkup")
    return waits


def checkups_pending(r: Record) -> int:
    """Planned check-ups not yet held or called off (a missed one may be rebooked as a new one)."""
    planned = len((r.followup or {}).get("checkup_dates", []))
    rebooked = sum(1 for checkup in r.checkups if checkup.get("rebooked_as"))
    return max(planned + rebooked - len(r.checkups), 0)


def checkups_done(r: Record) -> int:
    return sum(1 for checkup in r.checkups if checkup.get("outcome", "done") == "done")


def open_reviews(r: Record) -> list[dict]:
    """Images still awaiting the specialist's review (an `imaging_reviewed` fact closes one)."""
    return [image for image in r.images if not image.get("reviewed")]


def open_complications(r: Record) -> list[dict]:
    """Complications the clinic has not yet acted on (escalation_resolved closes one)."""
    return [c for c in r.complications if not c.get("resolved")]


def progress(r: Record, current: str) -> Progress:
    prescreen = r.prescreen or {}
    answered = bool(r.steps or r.accepted or r.declined or r.kind not in (None, "suitability")
                    or (prescreen and (prescreen["outcome"] != "passed" or prescreen.get("overridden"))))
    reviews = [image["review_due"] for image in open_reviews(r)]
    return Progress(stage=current, kind=r.kind, enquiry_received_at=r.enquiry_received_at,
                    answered=answered, accepted_on=r.accepted_on, deposit_paid=bool(r.deposit_paid_at),
                    review_due=min(reviews) if reviews else None, overdue=open_overdue(r, current),
                    conflict_open_since=r.conflict["since"] if r.conflict else None,
                    payment_disputed=payment_flags.disputed(r), balance_due=payment_flags.balance_due(r),
                    scheduling_blocked_since=(r.scheduling_blocked or {}).get("at") if current == "scheduling"
                    else None,
                    desk_task_open_since=min((t["since"] for t in r.desk_tasks.values()), default=None),
                    **_second_opinion_waits(r.second_opinion or {}))


def _second_opinion_waits(state: dict) -> dict:
    status = state.get("status")
    return {"second_opinion_waiting_since": state.get("since") if status == "awaiting" else None,
            "second_opinion_booked_for": state.get("scheduled_at") if status == "booked" else None,
            "second_opinion_held_at": state.get("held_at") if status == "held" else None}
