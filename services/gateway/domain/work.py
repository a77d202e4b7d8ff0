"""My work: the kinds of waiting work each staff role has, which service answers each, how an item reads,
where it is done, and the order it is shown in. Plain data and rules (handlers/work.py asks the services).

An item's link is its journey's page with a fragment naming the action (`/ui/journeys/<id>#decide`), or
the thing's own page where it has one (an image, the staff users, a dead letter's or an email's row on the
operations page)."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from services.gateway.domain.roles import (
    ADMIN,
    FINANCE,
    INTAKE,
    PHYSIOTHERAPIST,
    PLANNER,
    PSYCHOLOGIST,
    SPECIALIST,
    TRAVEL_DESK,
)

OPERATIONS = "/ui/admin/operations"   # dead letters and parked emails, each row's id made of its reference
STEP_WORDS = {"outpatient_invitation": "Send the invitation to the outpatient clinic",
              "consultation": "Plan the consultation", "psychologist_call": "Plan the psychologist's call",
              "specialist_introduction": "Plan the specialist's introduction"}
CHANNEL_WORDS = {"phone": "by phone", "video": "by video", "in_person": "in person"}
OUTCOME_WORDS = {"on_hold": "on hold", "waitlisted": "waitlisted", "declined": "declined"}
TRAVEL_WORDS = {"arrival_after_preop_check": "the flight arrives after the pre-op check",
                "return_before_rehab_end": "the flight home leaves before rehabilitation ends",
                "booking_cancelled_by_agency": "the agency cancelled a booking",
                "hotel_nights_uncovered": "nights of the stay have no hotel room",
                "passenger_details_missing": "the passenger's passport details are missing",
                "booking_failed": "a booking failed", "change_failed": "a change of a booking failed",
                "cancellation_failed": "a cancellation failed", "rebook_by_phone": "rebook by phone",
                "cancel_by_phone": "cancel by phone", "home_airport_unknown": "the home airport is not known",
                "rehab_end_changed": "rehabilitation now ends on another day: move the flight home"}
BEHIND_WORDS = {"past_departure": "The projected end is past the flight home",
                "no_progress": "No progress in the load at the last sessions",
                "pain_rising": "Pain rose at each of the last sessions",
                "days_behind": "Days of the plan missed"}


def _words(table: dict, code, default: str = "") -> str:
    return table.get(code) or (code or default).replace("_", " ")


def _plural(count, one: str, many: str) -> str:
    return one if count in (None, 1) else f"{count} {many}"


@dataclass(frozen=True)
class Kind:
    """One section: its title, the service that answers it, how its items read and where each is done."""
    kind: str
    title: str
    service: str
    what: Callable[[dict], str]
    action: str | Callable[[dict], str | None] | None   # a fragment of the journey page, or a link

    def link(self, item: dict) -> str | None:
        target = self.action(item) if callable(self.action) else self.action
        if target is None or target.startswith("/"):
            return target
        return f"/ui/journeys/{item['journey_id']}#{target}" if item.get("journey_id") else None


def _to_hold(step: str, kind: str) -> Kind:
    words = {"consultation": "Consultation", "psychologist_call": "Psychologist's call",
             "specialist_introduction": "Specialist's introduction"}[step]
    return Kind(kind, f"{words}s to hold", "enquiries",
                lambda i: f"{words} {_words(CHANNEL_WORDS, i['code'])}: record it held or missed",
                "record-appointment")


KINDS = {k.kind: k for k in (
    Kind("prescreen_review", "Pre-screen outcomes to review", "enquiries",
         lambda i: f"Automatic pre-screen outcome {_words(OUTCOME_WORDS, i['code'])}: review it, override "
                   "or re-screen", "override-prescreen"),
    Kind("screening_to_arrange", "Screening steps to arrange", "enquiries",
         lambda i: STEP_WORDS.get(i["code"], "Arrange the next screening step"),
         lambda i: "complete-step" if i["code"] == "outpatient_invitation" else "plan-appointment"),
    _to_hold("consultation", "consultation_to_hold"),
    _to_hold("psychologist_call", "psychologist_call_to_hold"),
    _to_hold("specialist_introduction", "specialist_introduction_to_hold"),
    Kind("questionnaire_to_read", "Questionnaires to read", "enquiries",
         lambda i: "The patient submitted the questionnaire", "questionnaire"),
    Kind("decision_due", "Screening decisions", "enquiries",
         lambda i: "Screening is finished: accept or decline", "decide"),
    Kind("health_questions_to_ask", "Health questions to ask", "enquiries",
         lambda i: "After a second opinion: the health questions the pre-screen needs", "health-questions"),
    Kind("second_opinion_to_book", "Second opinions to book", "enquiries",
         lambda i: "Book the second opinion" + (" again: the last one was missed" if i["code"] == "missed"
                                                else ""), "book-second-opinion"),
    Kind("second_opinion_to_record", "Second opinions to record", "enquiries",
         lambda i: "Record how the second opinion went" if i["code"] == "visit_unrecorded"
         else "Record the second opinion's outcome",
         lambda i: "record-second-opinion" if i["code"] == "visit_unrecorded" else "conclude-second-opinion"),
    Kind("image_review", "Images to review", "followup",
         lambda i: f"Review the image ({_words({}, i['code'], 'image')})",
         lambda i: f"/ui/journeys/{i['journey_id']}/images/{i['reference']}"),
    Kind("escalation", "Complications to act on", "followup",
         lambda i: f"Act on a complication: {_words({}, i['code'])}", "resolve-escalation"),
    Kind("checkup_to_hold", "Check-ups to hold", "followup",
         lambda i: f"Hold the check-up ({_words({}, i['code'])})"
                   + (f", missed {i['count']} times before" if i.get("count") else ""), "record-checkup"),
    Kind("checkup_move_request", "Check-ups the patient asks to move", "followup",
         lambda i: f"The patient asks to move a check-up ({_words({}, i['code'])})", "move-checkup"),
    Kind("scheduling_blocked", "Journeys no surgery date fits", "surgery",
         lambda i: "No surgery date fits the rules: book one by hand"
                   + (f" (first: {_words({}, i['code'])})" if i.get("code") else ""), "schedule-surgery"),
    Kind("preop_check_due", "Pre-op checks due", "surgery",
         lambda i: "The pre-op check, the day before surgery", "record-preop-check"),
    Kind("not_fit_postponed", "Not-fit postponements", "surgery",
         lambda i: "Not fit at the pre-op check: surgery postponed; confirm the new date",
         "reschedule-surgery"),
    Kind("session_due", "Supervised sessions due", "rehabilitation",
         lambda i: "Record the supervised session" if i.get("count") in (None, 1)
         else f"Record {i['count']} supervised sessions", "record-session"),
    Kind("plan_behind", "Rehabilitation plans behind", "rehabilitation",
         lambda i: (BEHIND_WORDS.get(i["code"]) or f"Behind the plan: {_words({}, i['code'])}")
         + (f" ({i['count']} days)" if i.get("count") else ""),
         "record-rehab-day"),
    Kind("psychologist_requested", "Psychologist asked to assist", "rehabilitation",
         lambda i: "A psychologist is asked to assist in rehabilitation", "record-psychologist-session"),
    Kind("deposit_overdue", "Deposits overdue", "payments",
         lambda i: "The deposit is overdue", "record-bank-transfer"),
    Kind("payment_disputed", "Disputed payments", "payments",
         lambda i: "The bank disputes a payment: send evidence before the deadline", "invoice"),
    Kind("balance_overdue", "Balances overdue", "payments",
         lambda i: "The balance is unpaid past its due date", "record-bank-transfer"),
    Kind("payment_unmatched", "Payments that match no invoice", "payments",
         lambda i: "A provider event matches no invoice: find it, or mark it dealt with", "invoice"),
    Kind("refund_failed", "Refunds that failed", "payments",
         lambda i: "The provider refused a refund: retry it", "retry-refund"),
    Kind("refund_to_make", "Refunds to make", "payments",
         lambda i: "More arrived than is owed: refund the difference" if i["code"] == "overpaid"
         else "Refund this part by hand", "invoice"),
    Kind("travel_conflict", "Travel conflicts", "travel",
         lambda i: f"Travel conflict: {_words(TRAVEL_WORDS, i['code'])}", "resolve-travel-task"),
    Kind("travel_task", "Travel desk tasks", "travel",
         lambda i: f"Travel desk: {_words(TRAVEL_WORDS, i['code'])}", "resolve-travel-task"),
    Kind("messages_unread", "Patients' messages to read", "notifications",
         lambda i: "A message from the patient" + (f" with {_plural(i['count'], 'a file', 'files')}"
                                                   if i.get("count") else ""), "messages"),
    Kind("dead_letter", "Dead letters", "every service",
         lambda i: f"A {_words({}, i['code'], 'unreadable')} message is parked in "
                   f"{i['reference'].split('/')[0]}: replay or discard it",
         lambda i: f"{OPERATIONS}#letter-{i['reference'].replace('/', '-')}"),
    Kind("mail_parked", "Emails that could not be sent", "notifications",
         lambda i: f"The email {_words({}, i['code'])} could not be sent after {i.get('count') or 0} tries: "
                   "send it again", lambda i: f"{OPERATIONS}#mail-{i['reference']}"),
    Kind("users_one_time_password", "Users with a one-time password", "gateway",
         lambda i: f"The user {i['code']} has not chosen their own password yet",
         lambda i: "/ui/admin/users"),
)}

ROLE_KINDS = {
    INTAKE: ("prescreen_review", "screening_to_arrange", "consultation_to_hold", "health_questions_to_ask",
             "second_opinion_to_book", "second_opinion_to_record", "messages_unread"),
    PSYCHOLOGIST: ("psychologist_call_to_hold", "questionnaire_to_read", "psychologist_requested"),
    SPECIALIST: ("specialist_introduction_to_hold", "questionnaire_to_read", "decision_due", "image_review",
                 "escalation", "checkup_to_hold", "checkup_move_request", "messages_unread"),
    PLANNER: ("scheduling_blocked", "preop_check_due", "not_fit_postponed"),
    FINANCE: ("deposit_overdue", "payment_disputed", "balance_overdue", "payment_unmatched", "refund_failed",
              "refund_to_make", "messages_unread"),
    TRAVEL_DESK: ("travel_conflict", "travel_task", "messages_unread"),
    PHYSIOTHERAPIST: ("session_due", "plan_behind", "messages_unread"),
    ADMIN: ("dead_letter", "mail_parked", "users_one_time_password"),
}


def kinds_for(role: str) -> tuple[str, ...]:
    return ROLE_KINDS.get(role, ())


def section(kind: str, queue: dict | None, missing: Iterable[str] = ()) -> dict:
    """A section of the inbox from what the services answered (None: none did), its items worded and
    linked; `missing` names the services that could not be asked just now."""
    spec, missing = KINDS[kind], sorted(set(missing))
    queue = queue or {"total": 0, "items": []}
    items = [dict(item, kind=kind, what=spec.what(item), link=spec.link(item)) for item in queue["items"]]
    return {"kind": kind, "title": spec.title, "total": queue["total"], "capped": queue.get("capped", False),
            "overdue": sum(1 for item in items if item["overdue"]), "items": items,
            "available": not missing, "unavailable_from": missing}


def arranged(sections: list[dict]) -> list[dict]:
    """Sections with overdue items first, then those with items or a service away, then the empty ones;
    otherwise in the role's own order."""
    def weight(section: dict) -> int:
        if section["overdue"]:
            return 0
        return 1 if section["items"] or not section["available"] else 2
    return sorted(sections, key=weight)
