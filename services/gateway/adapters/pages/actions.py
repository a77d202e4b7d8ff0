"""The staff actions a journey page offers, as a table. Each one is an API route of the route table
(routes/*.py): its method and path, its roles (the route's own role check) and its request schema (the
form's fields) are the route's; the table adds only when the action is offered (the journey's stage and
what it waits for, from the journey's projection), where the choices of a path parameter come from, and
the form's heading. Posting a form goes through the API's own dispatch (pages/journey_actions.py).

An action's `name` is its form's id: /ui/journeys/<id>#<name> links to it (My work does)."""
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from services.gateway.adapters.pages.action_words import code_words
from services.gateway.adapters.routing import Route, load_routes
from services.gateway.domain.roles import ALL_STAFF
from shared.contracts.enquiries import SCREENING_STEPS
from shared.errors import NotFound

_PARAM = re.compile(r"<(?:[a-z]+:)?(\w+)>")


@dataclass(frozen=True)
class Source:
    """Where the choices of an input come from: the items an API GET route answers for this journey
    (read as the signed-in user: the same role check and access log), each as (value, words)."""
    route: str
    pick: Callable[[dict], list[tuple[str, str]]]


@dataclass(frozen=True)
class Action:
    name: str
    route_name: str                    # the route's handler in routes/*.py
    title: str
    stages: frozenset
    waiting: frozenset = frozenset()   # and only while the journey waits for one of these, if any
    choices: dict = field(default_factory=dict)   # a path parameter or body field -> Source
    fixed: dict = field(default_factory=dict)     # body fields the action sets itself (not shown)
    labels: dict = field(default_factory=dict)    # words for a field where LABELS' would mislead
    configured: dict = field(default_factory=dict)   # a field -> (section, key) of config listing its codes
    when: Callable[[dict], bool] | None = None    # a further rule on the timeline
    button: str = "Save"

    @cached_property
    def route(self) -> Route:
        found = [r for r in load_routes() if r.name == self.route_name]
        if len(found) != 1:
            raise LookupError(f"the action {self.name} names no single route {self.route_name}")
        return found[0]

    @property
    def roles(self) -> frozenset:
        return self.route.roles & ALL_STAFF

    @property
    def params(self) -> list[str]:
        """The route's path parameters besides the journey's (each one chosen on the form)."""
        return [p for p in _PARAM.findall(self.route.path) if p != self.route.patient_param]

    def path(self, journey_id: str, values: dict) -> str:
        given = {self.route.patient_param: journey_id, **values}
        return _PARAM.sub(lambda m: str(given[m.group(1)]), self.route.path)

    def offered(self, timeline: dict, role: str) -> bool:
        return (role in self.roles and timeline.get("stage") in self.stages
                and (not self.waiting or bool(self.waiting & set(timeline.get("waiting_for") or ())))
                and (self.when is None or self.when(timeline)))


def _stages(*names: str) -> frozenset:
    return frozenset(names)


def _types(timeline: dict) -> set[str]:
    return {entry["type"] for entry in timeline.get("entries") or ()}


def _declined_at_prescreen(timeline: dict) -> bool:
    """A decline no screening came after: the pre-screen's, which staff may override."""
    return timeline.get("stage") != "declined" or not _types(timeline) & {
        "screening_step_completed", "screening_appointment_planned", "patient_accepted"}


# -- where choices come from ----------------------------------------------------------------------------

def _when(instant: str | None) -> str:
    return (instant or "")[:16].replace("T", " ")


def _steps_to_skip(enquiry: dict) -> list[tuple[str, str]]:
    done = {s["step"] for s in enquiry.get("steps") or () if s.get("state") != "pending"}
    return [(s, code_words(s)) for s in SCREENING_STEPS if s not in done]


def _steps_to_complete(enquiry: dict) -> list[tuple[str, str]]:
    """The steps staff complete by saying so: the invitation when it is next; the optional examinations
    once every required step is done (the enquiry's `next_step` is then none)."""
    left = dict(_steps_to_skip(enquiry))
    due = enquiry.get("next_step") or "additional_examinations"
    return [(s, left[s]) for s in ("outpatient_invitation", "additional_examinations")
            if s in left and s == due]


def _planned_appointments(enquiry: dict) -> list[tuple[str, str]]:
    return [(str(a["id"]), f"{code_words(a['step'])}, {_when(a['scheduled_at'])} "
                           f"({code_words(a['channel'])})")
            for a in enquiry.get("appointments") or () if a["status"] == "planned"]


def _second_opinion_booked(enquiry: dict) -> list[tuple[str, str]]:
    booked = (enquiry.get("second_opinion") or {}).get("appointments") or ()
    return [(str(a["id"]), f"{_when(a['scheduled_at'])}, {a['place']}")
            for a in booked if a["status"] == "booked"]


def _failed_refunds(invoice: dict) -> list[tuple[str, str]]:
    return [(r["id"], f"EUR {r['amount_cents'] / 100:,.2f} ({code_words(r['reason_code'])})")
            for r in invoice.get("refunds") or ()
            if any(part["status"] == "failed" for part in r.get("parts") or ())]


def _open_travel_tasks(itinerary: dict) -> list[tuple[str, str]]:
    tasks = [*(itinerary.get("conflicts") or ()), *(itinerary.get("tasks") or ())]
    return [(str(t["id"]), f"{code_words(t['kind'])}: {code_words(t['code'])}"
             + (f" ({code_words(t['part'])})" if t.get("part") else ""))
            for t in tasks if t["status"] == "open"]


def _images_to_review(listing: dict) -> list[tuple[str, str]]:
    return [(i["id"], f"{code_words(i['body_part'])}, received {_when(i['uploaded_at'])}, review due "
                      f"{i.get('review_due') or '?'}")
            for i in listing.get("images") or () if i.get("review_status") == "open"]


def _checkups(status: str):
    def pick(schedule: dict) -> list[tuple[str, str]]:
        return [(c["id"], f"{c['label']}, due {c['due_on']}") for c in schedule.get("checkups") or ()
                if c["status"] == status]
    return pick


def _open_escalations(record: dict) -> list[tuple[str, str]]:
    return [(e["id"], f"{code_words(e['kind'])}, act by {e['act_by']}")
            for e in record.get("escalations") or () if e["status"] == "open"]


ENQUIRY, INVOICE, ITINERARY = "enquiry_detail", "journey_invoice", "travel_itinerary"
IMAGES, SCHEDULE, FOLLOWUP = "list_images", "followup_schedule", "followup_record"
BEFORE_SCREENING = _stages("enquiry", "on_hold", "waitlisted", "screening", "declined")
INVOICED = _stages("payment", "scheduling", "surgery_planned", "clinical_stay", "rehabilitation", "follow_up",
                   "cancelled")
TRAVELLING = _stages("surgery_planned", "clinical_stay", "rehabilitation")
MISSED = ("REHABILITATION", "missed_reasons")   # the clinic's reason codes, in config.yaml

ACTIONS = (
    # enquiries: the pre-screen, screening, the decision, second opinions
    Action("override-prescreen", "override_prescreen", "Override the pre-screen outcome", BEFORE_SCREENING,
           when=_declined_at_prescreen, button="Override"),
    Action("rescreen", "rescreen", "Pre-screen again with new facts", _stages("on_hold", "waitlisted"),
           button="Pre-screen again"),
    Action("health-questions", "answer_health_questions", "Answer the health questions", _stages("enquiry"),
           waiting=frozenset({"health_questions"})),
    Action("complete-step", "complete_step", "Complete a screening step", _stages("screening"),
           choices={"step": Source(ENQUIRY, _steps_to_complete)}, button="Mark it completed"),
    Action("plan-appointment", "plan_appointment", "Plan a screening appointment", _stages("screening"),
           button="Plan it"),
    Action("record-appointment", "change_appointment", "Record or move a screening appointment",
           _stages("screening"), choices={"appointment_id": Source(ENQUIRY, _planned_appointments)}),
    Action("skip-step", "skip_step", "Skip a screening step, with a reason", _stages("screening"),
           choices={"step": Source(ENQUIRY, _steps_to_skip)}, button="Skip it"),
    Action("decide", "decide", "Accept or decline the patient", _stages("screening"),
           waiting=frozenset({"screening_decision"}), button="Record the decision"),
    Action("book-second-opinion", "book_second_opinion", "Book the second-opinion appointment",
           _stages("second_opinion"), waiting=frozenset({"second_opinion_appointment"}), button="Book it"),
    Action("record-second-opinion", "change_second_opinion_appointment", "Record or move the second-opinion "
           "appointment", _stages("second_opinion"),
           choices={"appointment_id": Source(ENQUIRY, _second_opinion_booked)}),
    Action("conclude-second-opinion", "conclude_second_opinion", "Conclude the second opinion",
           _stages("second_opinion"), button="Conclude"),
    # payments
    Action("record-bank-transfer", "record_bank_transfer", "Record a bank transfer", INVOICED - {"cancelled"},
           button="Record the payment"),
    Action("retry-refund", "retry_refund", "Send a failed refund again", INVOICED,
           choices={"refund_id": Source(INVOICE, _failed_refunds)}, button="Send it again"),
    # surgery: scheduling and the clinical stay
    Action("schedule-surgery", "schedule_surgery", "Book a surgery date", _stages("scheduling"),
           waiting=frozenset({"planner_action"}), button="Book it"),
    Action("reschedule-surgery", "reschedule_surgery", "Move the surgery, with a reason",
           _stages("surgery_planned"), button="Move it"),
    Action("record-preop-check", "record_preop_check", "Record the pre-op check", _stages("surgery_planned"),
           waiting=frozenset({"preop_check"})),
    Action("record-operation", "record_surgery_operation", "Record the operation and the implant",
           _stages("surgery_planned"), waiting=frozenset({"surgery"})),
    Action("cancel-surgery", "cancel_surgery", "Cancel the surgery, with a reason",
           _stages("scheduling", "surgery_planned"), button="Cancel the surgery"),
    Action("record-ward-visit", "record_ward_visit", "Record a ward visit", _stages("clinical_stay"),
           waiting=frozenset({"ward_discharge"})),
    Action("record-postop-image", "record_postop_image", "Record the post-surgery image",
           _stages("clinical_stay"), waiting=frozenset({"ward_discharge"}),
           labels={"reference": "Where the image is kept (e.g. its PACS accession)"}),
    Action("discharge", "discharge_from_ward", "Discharge from the ward to the hotel",
           _stages("clinical_stay"), waiting=frozenset({"ward_discharge"}), button="Discharge"),
    # rehabilitation
    Action("record-session", "rehab_session", "Record a supervised physiotherapy session",
           _stages("rehabilitation")),
    Action("record-rehab-day", "rehab_day", "Record a day of daily rehabilitation", _stages("rehabilitation"),
           configured={"reason_code": MISSED}, labels={"reason_code": "Why it was missed"}),
    Action("record-missed-session", "rehab_missed_session", "Record a missed supervised session",
           _stages("rehabilitation"), configured={"reason_code": MISSED}, labels={"reason_code": "Why"}),
    Action("record-prosthesis-fitting", "rehab_prosthesis_fitted", "Record the prosthesis fitted",
           _stages("rehabilitation"), waiting=frozenset({"prosthesis_fitting"})),
    Action("complete-rehabilitation", "rehab_completion", "Complete rehabilitation (the patient flies home)",
           _stages("rehabilitation"), waiting=frozenset({"rehab_completion"}), button="Complete it"),
    Action("record-psychologist-session", "rehab_psychologist_session", "Record a psychologist's session",
           _stages("rehabilitation")),
    # travel
    Action("resolve-travel-task", "travel_resolve_task", "Resolve a travel conflict or task", TRAVELLING,
           choices={"task_id": Source(ITINERARY, _open_travel_tasks)}, button="Resolve it"),
    Action("enter-phone-booking", "travel_phone_booking", "Enter a booking made by phone", TRAVELLING,
           button="Enter the booking"),
    Action("move-return", "travel_move_return", "Move the flight home", TRAVELLING, button="Move it"),
    # tele-follow-up
    Action("review-image", "assess", "Review an image", _stages("follow_up"), fixed={"subject": "image"},
           choices={"subject_id": Source(IMAGES, _images_to_review)}, button="Record the review"),
    Action("record-checkup", "checkup_outcome", "Record a check-up", _stages("follow_up"),
           choices={"checkup_id": Source(SCHEDULE, _checkups("planned"))}),
    Action("move-checkup", "move_checkup", "Move a check-up to another day", _stages("follow_up"),
           choices={"checkup_id": Source(SCHEDULE, _checkups("planned"))}, button="Move it"),
    Action("assess-checkup", "assess", "Assess a check-up", _stages("follow_up"),
           fixed={"subject": "checkup"}, choices={"subject_id": Source(SCHEDULE, _checkups("done"))},
           labels={"subject_id": "Check-up"}, button="Record the assessment"),
    Action("resolve-escalation", "resolve_escalation", "Record the action taken on a complication",
           _stages("follow_up"), choices={"escalation_id": Source(FOLLOWUP, _open_escalations)}),
)
BY_NAME = {action.name: action for action in ACTIONS}


def named(name: str) -> Action:
    if name not in BY_NAME:
        raise NotFound(f"there is no action called {name[:40]!r}")
    return BY_NAME[name]
