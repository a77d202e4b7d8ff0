"""Folding facts into the record: one small rule per event type, taken in causal order."""
from collections.abc import Callable

from services.journey.domain import deadlines, payment_flags
from services.journey.domain.facts import Fact, aware
from services.journey.domain.record import Record


def _enquiry(r: Record, f: Fact, p: dict) -> None:
    r.kind, r.enquiry_received_at = p["kind"], f.occurred_at
    r.country, r.language = p["country"], p["preferred_language"]
    r.opened_from_journey_id = p.get("opened_from_journey_id")
    r.health_questions_pending = bool(p.get("health_questions_pending")) and not r.prescreen


def _second_opinion(status: str) -> Callable[[Record, Fact, dict], None]:
    """A second opinion's step: waiting for an appointment (requested, or missed), booked, held, concluded."""
    def apply(r: Record, f: Fact, p: dict) -> None:
        if (r.second_opinion or {}).get("status") == "concluded":
            return  # nothing moves a concluded second opinion
        state = dict(r.second_opinion or {}, **p, status=status)
        if status == "awaiting":
            state.update(since=f.occurred_at, scheduled_at=None)
        if status == "held":
            state["held_at"] = f.occurred_at
        r.second_opinion = state
    return apply


def _prescreen(r: Record, f: Fact, p: dict) -> None:
    r.prescreen, r.health_questions_pending = dict(p), False
    if p["outcome"] != "declined":
        r.declined = None  # a staff override reopens a declined enquiry


def _step(r: Record, f: Fact, p: dict) -> None:
    if p["step"] not in r.steps:
        r.steps.append(p["step"])


def _accepted(r: Record, f: Fact, p: dict) -> None:
    r.accepted, r.accepted_on, r.declined = dict(p, at=f.occurred_at), f.occurred_at.date(), None
    r.country, r.language = p["country"], p["preferred_language"]


def _payment(kind: str) -> Callable[[Record, Fact, dict], None]:
    def apply(r: Record, f: Fact, p: dict) -> None:
        cents = p.get("paid_cents", p.get("refund_cents"))
        r.payments.append({"kind": kind, "invoice_id": p["invoice_id"], "cents": cents,
                           "at": f.occurred_at, "reason_code": p.get("reason_code")})
        if kind == "deposit":
            r.deposit_paid_at = r.deposit_paid_at or f.occurred_at
        if kind == "paid_in_full":
            r.deposit_paid_at, r.paid_in_full = r.deposit_paid_at or f.occurred_at, True
    return apply


def _scheduled(r: Record, f: Fact, p: dict) -> None:
    r.surgery, r.cancelled, r.scheduling_blocked, r.preop_fit = dict(p), None, None, None


def _preop(r: Record, f: Fact, p: dict) -> None:
    r.preop_fit = p["fit"]


def _itinerary(status: str) -> Callable[[Record, Fact, dict], None]:
    def apply(r: Record, f: Fact, p: dict) -> None:
        r.itinerary = dict(r.itinerary or {}, **p, status=status)
        if status in ("confirmed", "cancelled"):
            r.conflict = None  # a fresh confirmation (or no trip at all) settles a conflict
            r.desk_tasks = {}  # and what the desk had to do by hand for it
    return apply


def _desk_task(r: Record, f: Fact, p: dict) -> None:
    """Travel asks its desk to act by hand (a refused booking or cancellation, a moved rehab end, no
    home airport): open from the first time it was asked until the itinerary is confirmed or cancelled."""
    key = f"{p['task_code']}:{p.get('part')}"
    r.desk_tasks.setdefault(key, {"code": p["task_code"], "since": f.occurred_at})


def _desk_resolved(r: Record, f: Fact, p: dict) -> None:
    """A conflict closed with none left open settles the conflict; a task closed is no longer open."""
    if p["kind"] == "conflict":
        if p["conflicts_open"] == 0:
            r.conflict = None
    else:
        r.desk_tasks.pop(f"{p['code']}:{p.get('part')}", None)


def _rehab(key: str | None = None, source: str | None = None) -> Callable[[Record, Fact, dict], None]:
    """Merge a rehabilitation fact; `key` takes the payload's `source` date (or the fact's)."""
    def apply(r: Record, f: Fact, p: dict) -> None:
        r.rehab = dict(r.rehab or {}, **p)
        r.rehab.pop("attention", None)  # progress after a call for attention means it was given
        if key:
            r.rehab[key] = p[source] if source else f.occurred_at.date()
    return apply


def _behind(r: Record, f: Fact, p: dict) -> None:
    """Missed days moved rehabilitation's projected end: past the booked departure, or back within it."""
    r.rehab = dict(r.rehab or {}, missed_days=p["missed_days"], days_past_departure=p["days_past_departure"])


def _attention(r: Record, f: Fact, p: dict) -> None:
    r.rehab = dict(r.rehab or {}, attention=p["reason_code"])


def _append(attr: str) -> Callable[[Record, Fact, dict], None]:
    def apply(r: Record, f: Fact, p: dict) -> None:
        getattr(r, attr).append(dict(p, at=f.occurred_at))
    return apply


def _keep(attr: str) -> Callable[[Record, Fact, dict], None]:
    """Keep the latest payload of this type as the attribute."""
    def apply(r: Record, f: Fact, p: dict) -> None:
        setattr(r, attr, dict(p, at=f.occurred_at))
    return apply


def _reviewed(r: Record, f: Fact, p: dict) -> None:
    for image in r.images:
        if image["image_id"] == p.get("image_id"):
            image["reviewed"] = True


def _complication(r: Record, f: Fact, p: dict) -> None:
    r.complications.append(dict(p, at=f.occurred_at))
    if p.get("subject") == "image":  # only an assessment raises one: the image was reviewed
        _reviewed(r, f, {"image_id": p.get("subject_id")})


def _resolved(r: Record, f: Fact, p: dict) -> None:
    for complication in r.complications:
        if complication["escalation_id"] == p["escalation_id"]:
            complication["resolved"] = p["action_code"]


def _erasure(r: Record, f: Fact, p: dict) -> None:
    r.erasure_requested_at = f.occurred_at
    if p.get("purge"):
        r.purged_at = f.occurred_at


APPLY: dict[str, Callable[[Record, Fact, dict], None]] = {
    "enquiry_received": _enquiry, "prescreen_decided": _prescreen, "screening_step_completed": _step,
    "patient_accepted": _accepted, "patient_declined": _keep("declined"),
    "invoice_issued": _keep("invoice"), "deposit_paid": _payment("deposit"),
    "invoice_paid": _payment("paid_in_full"), "payment_failed": _payment("failed"),
    "refund_issued": _payment("refund"),
    "surgery_scheduled": _scheduled, "surgery_rescheduled": _scheduled,
    "surgery_scheduling_blocked": _keep("scheduling_blocked"),
    "surgery_cancelled": _keep("cancelled"), "preop_check_recorded": _preop,
    "surgery_performed": _keep("performed"), "ward_discharged": _keep("discharged"),
    "itinerary_requested": _itinerary("requested"), "itinerary_change_requested": _itinerary("requested"),
    "itinerary_confirmed": _itinerary("confirmed"), "itinerary_cancelled": _itinerary("cancelled"),
    "travel_conflict_detected": lambda r, f, p: setattr(r, "conflict", dict(p, since=f.occurred_at)),
    "travel_desk_task_opened": _desk_task, "travel_desk_task_resolved": _desk_resolved,
    "rehab_plan_created": _rehab(), "rehab_attention_needed": _attention,
    "rehab_target_load_reached": _rehab("load_reached_on", "reached_on"),
    "prosthesis_fitted": _rehab("fitted_on", "fitted_on"),
    "rehab_completed": _rehab("completed_on", "completed_on"),
    "rehab_plan_withdrawn": _rehab("withdrawn_on"), "rehab_behind_plan": _behind,
    "followup_planned": _keep("followup"), "checkup_completed": _append("checkups"),
    "imaging_received": _append("images"), "complication_reported": _complication,
    "escalation_resolved": _resolved,
    "imaging_reviewed": _reviewed,
    **payment_flags.APPLY,
    "erasure_requested": _erasure,
    "consent_withdrawn": lambda r, f, p: r.consents_withdrawn.setdefault(
        p["purpose"], {"channel": p["channel"], "at": f.occurred_at}),
    "second_opinion_requested": _second_opinion("awaiting"),
    "second_opinion_booked": _second_opinion("booked"), "second_opinion_held": _second_opinion("held"),
    "second_opinion_missed": _second_opinion("awaiting"),
    "second_opinion_concluded": _second_opinion("concluded"),
}


def fold(journey_id: str, ordered: list[Fact]) -> Record:
    """The record after every fact, taken in the given (causal) order."""
    record = Record(journey_id)
    for fact in ordered:
        record.count += 1
        moment = aware(fact.occurred_at)
        record.first_at = min(record.first_at or moment, moment)
        record.last_at = max(record.last_at or moment, moment)
        apply = APPLY.get(fact.type)
        if apply is not None:
            apply(record, fact, fact.payload)
        deadlines.apply(record, fact)
    return record
