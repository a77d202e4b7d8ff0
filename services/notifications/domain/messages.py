"""Which messages a fact of the journey sends the patient: pure rules, no I/O.

Each reaction names a template and the facts it needs (ids, dates, amounts, codes; never a
name or an address). A message is care-critical unless it is only a reminder the patient may
turn off (check-up reminders). Raw rule ids never reach a patient: a pre-screen's rules become
plain reasons, each a sentence in the catalogs.
"""
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

MESSAGES = uuid.UUID("9b3f5d2a-7c1e-4a8b-9f60-2d4e6a8c0b13")

# Pre-screen rule ids (services/enquiries/domain/prescreen.py) -> the reason a patient reads.
RULE_REASONS = {
    "not_physically_matured": "age", "diabetes": "diabetes", "circulatory_disease": "circulation",
    "currently_smoking": "smoking", "stopped_smoking_recently": "smoking_recently",
    "amputation_level_not_yet_treated": "level",
}
LINKED = {"portal", "questionnaire", "payment", "messages"}   # the purposes a message's link may have


@dataclass(frozen=True)
class Outgoing:
    template: str
    facts: dict = field(default_factory=dict)
    care_critical: bool = True
    topic: str | None = None    # one message per topic, whichever event announces it
    link: str | None = None     # a personal link of this purpose goes into the message


def message_id(event_id: str, template: str, topic: str | None = None) -> str:
    """The message's id: the same event (or topic) and template always give the same one."""
    return str(uuid.uuid5(MESSAGES, f"topic:{topic}" if topic else f"{event_id}:{template}"))


def reasons(rules_fired: list[str]) -> list[str]:
    """Plain reasons for the rules that fired, in order, each once (an unknown rule: "other")."""
    found: list[str] = []
    for rule in rules_fired:
        if rule == "staff_override":
            continue
        reason = RULE_REASONS.get(rule, "other")
        if reason not in found:
            found.append(reason)
    return found


def _prescreen(p: dict) -> list[Outgoing]:
    if p["outcome"] == "passed":
        return [Outgoing("prescreen_passed", {"earliest_surgery_date": p.get("earliest_surgery_date")})]
    return [Outgoing(f"prescreen_{p['outcome']}", {"reasons": reasons(p["rules_fired"])})]


def _declined(p: dict) -> list[Outgoing]:
    # A pre-screen decline was explained with the outcome already.
    return [Outgoing("screening_declined")] if p["stage"] == "screening" else []


def _surgery(template: str) -> Callable[[dict], list[Outgoing]]:
    def react(p: dict) -> list[Outgoing]:
        keep = ("surgery_id", "arrival_by", "preop_check_date", "surgery_date", "departure_date")
        return [Outgoing(template, {k: p.get(k) for k in keep})]
    return react


def _step(p: dict) -> list[Outgoing]:
    # Once the specialist has met the patient, the questionnaire is theirs to fill in.
    if p["step"] == "specialist_introduction" and not p.get("skipped"):
        return [Outgoing("questionnaire_ready", link="questionnaire")]
    return []


def _checkup_done(p: dict) -> list[Outgoing]:
    if p["outcome"] != "missed":
        return []
    return [Outgoing("checkup_missed", {"checkup_id": p["checkup_id"]}, topic=f"missed:{p['checkup_id']}",
                     link="portal")]


def _missed_fact(p: dict) -> list[Outgoing]:
    checkup = p.get("checkup_id")
    return [Outgoing("checkup_missed", {"checkup_id": checkup}, link="portal",
                     topic=f"missed:{checkup}" if checkup else None)]


def _reminder(p: dict) -> list[Outgoing]:
    facts = {"checkup_date": p["checkup_date"]}
    return [Outgoing("checkup_reminder", facts, care_critical=False),
            Outgoing("xray_request", facts, link="portal")]


# Screening appointments: each fact of an appointment sends its own message, and its calendar entry
# keeps one UID; `revision` (when the fact happened, in whole seconds) orders its SEQUENCE by the facts,
# not by when each mail happened to go out (a retried invitation must not undo a later move).
SCREENING = ("screening_appointment_planned", "screening_appointment_moved",
             "screening_appointment_cancelled")
SCREENING_TEMPLATES = ("screening_invitation", "screening_moved", "screening_cancelled")
APPOINTMENT_FACTS = ("appointment_id", "step", "examination", "scheduled_at", "channel")


def _care_message(p: dict) -> list[Outgoing]:
    # A reply of the care team: the patient is told only that a message waits, never what it says;
    # their own messages send them nothing.
    return [Outgoing("care_message_waiting", link="messages")] if p["author"] == "staff" else []


def _same(template: str, *keep: str, link: str | None = None) -> Callable[[dict], list[Outgoing]]:
    return lambda p: [Outgoing(template, {k: p.get(k) for k in keep}, link=link)]


REACTIONS: dict[tuple[str, str], Callable[[dict], list[Outgoing]]] = {
    ("enquiries", "enquiry_received"): _same("enquiry_received", "kind"),
    ("enquiries", "prescreen_decided"): _prescreen,
    ("enquiries", "screening_step_completed"): _step,
    ("enquiries", "questionnaire_overdue"): _same("questionnaire_reminder", link="questionnaire"),
    ("enquiries", "patient_accepted"): _same("patient_accepted"),
    ("enquiries", "patient_declined"): _declined,
    ("enquiries", "second_opinion_booked"): _same("second_opinion_booked", "appointment_id", "scheduled_at",
                                                  "rebooked"),
    ("enquiries", "screening_appointment_planned"): _same("screening_invitation", *APPOINTMENT_FACTS),
    ("enquiries", "screening_appointment_moved"): _same("screening_moved", *APPOINTMENT_FACTS),
    ("enquiries", "screening_appointment_cancelled"): _same("screening_cancelled", *APPOINTMENT_FACTS),
    ("payments", "invoice_issued"): _same("invoice_issued", "invoice_id", "currency", "total_cents",
                                          "deposit_cents", "balance_cents", "deposit_due", link="payment"),
    ("payments", "deposit_paid"): _same("deposit_paid", "paid_cents"),
    ("payments", "invoice_paid"): _same("invoice_paid", "paid_cents"),
    ("payments", "payment_failed"): _same("payment_failed", link="payment"),
    ("payments", "deposit_overdue"): _same("deposit_overdue", "invoice_id", "deposit_due", link="payment"),
    ("payments", "balance_due_dated"): _same("balance_due", "balance_cents", "balance_due", link="payment"),
    ("payments", "balance_overdue"): _same("balance_overdue", "balance_cents", "balance_due", link="payment"),
    ("payments", "refund_issued"): _same("refund_issued", "refund_cents"),
    ("surgery", "surgery_scheduled"): _surgery("surgery_scheduled"),
    ("surgery", "surgery_rescheduled"): _surgery("surgery_rescheduled"),
    ("surgery", "surgery_cancelled"): _same("surgery_cancelled", "surgery_date"),
    ("travel", "itinerary_confirmed"): _same("itinerary_confirmed", "itinerary_id", "arrival_date",
                                             "departure_date"),
    ("travel", "itinerary_cancelled"): _same("itinerary_cancelled"),
    ("notifications", "preop_reminder_due"): _same("preop_reminder", "preop_check_date"),
    ("followup", "followup_planned"): _same("checkups_planned", "checkup_dates", "channel", "time_zone"),
    ("notifications", "checkup_reminder_due"): _reminder,
    ("followup", "checkup_completed"): _checkup_done,
    ("followup", "checkup_missed"): _missed_fact,
    ("followup", "checkup_moved"): _same("checkup_moved", "checkup_id", "previous_due_on", "due_on",
                                         link="portal"),
    ("followup", "imaging_received"): _same("imaging_received", "review_due"),
    ("followup", "imaging_reviewed"): _same("imaging_reviewed", "outcome"),
    ("notifications", "care_message_posted"): _care_message,
}


# A reminder whose timer fired late (an outage, the demo's jumped clock) would say "tomorrow" or "in
# two days" wrongly: (the date it reminds of, how many days ahead it says, the reminder's template).
# The fact still fires and stays on the timeline; a check-up's X-ray request still goes.
LATE = {"preop_reminder_due": ("preop_check_date", 1, "preop_reminder"),
        "checkup_reminder_due": ("checkup_date", 2, "checkup_reminder")}


def outgoing(source: str, event_type: str, payload: dict, *, itinerary_sent_before: bool = False,
             occurred_at: datetime | None = None, today: date | None = None) -> list[Outgoing]:
    """The messages a fact sends; a second confirmed itinerary is a change; a reminder that comes
    late (see LATE) is not sent."""
    found = REACTIONS.get((source, event_type), lambda _p: [])(payload)
    if event_type in LATE and today is not None:
        field_name, days_ahead, template = LATE[event_type]
        if (date.fromisoformat(str(payload[field_name])[:10]) - today).days < days_ahead:
            found = [mail for mail in found if mail.template != template]
    if event_type == "itinerary_confirmed" and itinerary_sent_before:
        found = [Outgoing("itinerary_changed", found[0].facts)]
    if event_type in SCREENING and occurred_at is not None:
        found = [replace(o, facts=dict(o.facts, revision=int(occurred_at.timestamp()))) for o in found]
    return found


TEMPLATES = sorted({"prescreen_passed", "prescreen_on_hold", "prescreen_waitlisted", "prescreen_declined",
                    "screening_declined", "questionnaire_ready", "questionnaire_reminder", "checkup_missed",
                    "checkup_moved", "checkup_reminder", "xray_request", "itinerary_changed",
                    "enquiry_received", "patient_accepted", "second_opinion_booked", "invoice_issued",
                    "deposit_paid", "invoice_paid", "payment_failed", "deposit_overdue", "balance_due",
                    "balance_overdue",
                    "refund_issued", "surgery_scheduled", "surgery_rescheduled", "surgery_cancelled",
                    "itinerary_confirmed", "itinerary_cancelled", "preop_reminder", "checkups_planned",
                    "imaging_received", "imaging_reviewed", "link_renewed", "care_message_waiting",
                    *SCREENING_TEMPLATES})
