"""How facts and waits read to staff: short, factual, codes kept as codes."""
from collections.abc import Callable
from zoneinfo import ZoneInfo

from services.journey.domain.facts import Fact


def _money(cents: int | None) -> str:
    return "" if cents is None else f"EUR {cents / 100:,.2f}"


SECOND_OPINION_OUTCOMES = {
    "advised_to_enquire": "advised to enquire about osseointegration",
    "socket_adjustment_advised": "socket adjustment advised", "no_action_needed": "no action needed",
    "patient_withdrew": "the person withdrew",
}
PARTNER_CLINIC_TZ = ZoneInfo("Europe/Amsterdam")  # second opinions are held in Amsterdam


def _received(p: dict) -> str:
    kind = p["kind"].replace("_", " ").capitalize()
    text = f"{kind} enquiry received ({p['country']}, {p['preferred_language']})"
    if p.get("opened_from_journey_id"):
        text += f" after a second opinion (journey {p['opened_from_journey_id']})"
    return text + ("; waiting for the health questions" if p.get("health_questions_pending") else "")


def _booked(p: dict) -> str:
    at = p["scheduled_at"].astimezone(PARTNER_CLINIC_TZ).isoformat("T", "minutes")
    return f"Second-opinion appointment {'booked again' if p.get('rebooked') else 'booked'} for {at} " \
        "at the partner clinic"


def _concluded(p: dict) -> str:
    outcome = SECOND_OPINION_OUTCOMES.get(p["outcome"], p["outcome"].replace("_", " "))
    opened = f"; suitability enquiry opened (journey {p['suitability_journey_id']})" \
        if p.get("suitability_journey_id") else ""
    return f"Second opinion concluded: {outcome}{opened}"


CONSENTS = {"health_data": "to process health data", "privacy": "to the privacy statement",
            "marketing": "to marketing mail"}
CONSENT_CHANNELS = {"patient_portal": "by the patient on the portal",
                    "staff": "through staff, as the patient asked",
                    "web_form": "on the web form"}
RETENTION_RULES = {"enquirer": "an enquirer who never became a patient",
                   "declined_after_screening": "declined after clinical screening",
                   "patient": "a patient, after the last treatment"}


def _consent_withdrawn(p: dict) -> str:
    said = f"Consent {CONSENTS.get(p['purpose'], p['purpose'])} withdrawn " \
        f"{CONSENT_CHANNELS.get(p['channel'], p['channel'])}"
    if p["purpose"] == "marketing":
        return said + ": no more marketing mail"
    return said + ": the journey stops here, no stage takes a next step"


SCREENING_APPOINTMENTS = {
    "consultation": "outpatient consultation", "psychologist_call": "psychologist",
    "specialist_introduction": "specialist's introduction",
    "additional_examinations": "additional examination",
}
SCREENING_CHANNELS = {"phone": "telephone", "video": "video call", "in_person": "in person"}
CLINIC_TZ = ZoneInfo("Europe/Amsterdam")  # screening is held (or called) from the clinic


def _screening_appointment(verb: str) -> Callable[[dict], str]:
    def describe(p: dict) -> str:
        what = SCREENING_APPOINTMENTS.get(p["step"], p["step"].replace("_", " "))
        if p.get("examination"):
            what += f", {p['examination'].replace('_', ' ')}"
        how = SCREENING_CHANNELS.get(p["channel"], p["channel"])
        at = p["scheduled_at"].astimezone(CLINIC_TZ).isoformat("T", "minutes")
        return f"Screening appointment {verb}: {what} ({how}), {at}"
    return describe


def _rules(p: dict) -> str:
    return f" ({', '.join(p['rules_fired'])})" if p.get("rules_fired") else ""


SUMMARY: dict[str, Callable[[dict], str]] = {
    "enquiry_received": _received,
    "prescreen_decided": lambda p: f"Pre-screen {'overridden: ' if p.get('overridden') else ''}"
                                   f"{p['outcome'].replace('_', ' ')}{_rules(p)}",
    "screening_step_completed": lambda p: f"Screening step {p['step'].replace('_', ' ')} "
                                          f"{'skipped' if p.get('skipped') else 'completed'}",
    "patient_accepted": lambda p: f"Accepted for treatment ({p['amputation_level']}, {p['amputation_side']})",
    "patient_declined": lambda p: f"Declined at {p['stage']}: {', '.join(p['reasons'])}",
    "screening_appointment_planned": _screening_appointment("planned"),
    "screening_appointment_moved": _screening_appointment("moved"),
    "screening_appointment_cancelled": _screening_appointment("cancelled"),
    "second_opinion_requested": lambda p: "Second opinion requested",
    "second_opinion_booked": _booked,
    "second_opinion_held": lambda p: "Second-opinion appointment held",
    "second_opinion_missed": lambda p: "Second-opinion appointment missed (to be booked again)",
    "second_opinion_concluded": _concluded,
    "passenger_identity_recorded": lambda p: "Passenger details (as on the passport) recorded",
    "brochure_requested": lambda p: f"Information folder requested ({p['preferred_language']})",
    "invoice_issued": lambda p: f"Invoice issued: {_money(p['total_cents'])}, "
                                f"deposit {_money(p['deposit_cents'])} due {p['deposit_due']}",
    "deposit_paid": lambda p: f"Deposit paid ({_money(p['paid_cents'])} in total)",
    "invoice_paid": lambda p: f"Invoice paid in full ({_money(p['paid_cents'])})",
    "payment_failed": lambda p: f"Payment failed: {p['reason_code']}",
    "refund_issued": lambda p: f"Refund issued: {_money(p['refund_cents'])}",
    "payment_disputed": lambda p: f"Payment of {_money(p['amount_cents'])} disputed: on hold, "
                                  f"evidence due by {p['evidence_due_by']:%Y-%m-%d %H:%M %Z}",
    "payment_dispute_closed": lambda p: f"Dispute of {_money(p['amount_cents'])} {p['outcome']}"
                                        + (": the money is gone" if p["outcome"] == "lost" else ""),
    "balance_due_dated": lambda p: f"Balance of {_money(p['balance_cents'])} due {p['balance_due']}",
    "surgery_scheduled": lambda p: f"Surgery scheduled for {p['surgery_date']} (pre-op check "
                                   f"{p['preop_check_date']}, arrival by {p['arrival_by']})",
    "surgery_rescheduled": lambda p: f"Surgery moved to {p['surgery_date']}: {p['reason_code']}" + (
        " (patient already in the Netherlands: hotel extended, only the return flight moves)"
        if p.get("patient_in_country") else ""),
    "surgery_scheduling_blocked": lambda p: f"No surgery date found until {p['searched_until']}: "
                                            f"{', '.join(p['blocked_by'])}",
    "surgery_cancelled": lambda p: f"Surgery cancelled: {p['reason_code']}",
    "preop_check_recorded": lambda p: "Pre-op check: " + ("fit for surgery" if p["fit"] else "not fit"),
    "surgery_performed": lambda p: "Surgery performed (" + "; ".join(
        f"{i['side']}: implant {i['implant_type']} size {i['implant_size']}, lot {i['implant_lot']}"
        for i in (p.get("implants") or [p])) + ")",
    "ward_discharged": lambda p: f"Discharged from the ward to the hotel on {p['discharged_on']}",
    "itinerary_requested": lambda p: f"Flights and hotel requested (arrive by {p['arrival_by']}, "
                                     f"leave {p['departure_date']})",
    "itinerary_change_requested": lambda p: f"Travel change requested (arrive by {p['arrival_by']}, "
                                            f"leave {p['departure_date']})",
    "itinerary_confirmed": lambda p: f"Travel confirmed: arrive {p['arrival_date']}, "
                                     f"leave {p['departure_date']}",
    "travel_conflict_detected": lambda p: f"Travel conflict: {p['conflict_code']}",
    "travel_desk_task_opened": lambda p: f"Travel desk task: {p['task_code']}",
    "travel_desk_task_resolved": lambda p: f"Travel {p['kind']} {p['code']} resolved"
                                           + (" by the travel desk" if p.get("by_desk") else ""),
    "itinerary_cancelled": lambda p: f"Travel cancelled (cost {_money(p['cost_cents'])})",
    "rehab_plan_created": lambda p: f"Rehabilitation planned {p['start_date']} to {p['planned_end']} "
                                    f"(target load {p['target_load_kg']} kg)",
    "rehab_attention_needed": lambda p: f"Rehabilitation needs attention: {p['reason_code']}",
    "rehab_target_load_reached": lambda p: f"Target load {p['load_kg']} kg reached on {p['reached_on']}",
    "prosthesis_fitted": lambda p: f"Prosthesis fitted on {p['fitted_on']}",
    "rehab_completed": lambda p: f"Rehabilitation completed on {p['completed_on']}",
    "rehab_plan_withdrawn": lambda p: f"Rehabilitation plan withdrawn: {p['reason_code']}",
    "rehab_behind_plan": lambda p: f"Rehabilitation behind plan: {p['missed_days']} days missed, "
                                   f"{p['missed_sessions']} supervised sessions missed; " + (
        f"the projected end is {p['days_past_departure']} days after the booked departure"
        if p["days_past_departure"] else "the projected end fits before the booked departure again"),
    "followup_planned": lambda p: f"Follow-up planned: {len(p['checkup_dates'])} check-ups"
                                  + (f" by {p['channel']}" if p.get("channel") else ""),
    "checkup_completed": lambda p: f"Check-up {p['outcome']}" + (", rebooked" if p.get("rebooked_as") else "")
                                   + (" (missed too often: flagged)" if p.get("flagged") else ""),
    "checkup_moved": lambda p: f"Check-up of {p['previous_due_on']} moved to {p['due_on']}: "
                               f"{p['reason'].replace('_', ' ')}"
                               + (" (the patient's request answered)" if p.get("patient_asked") else ""),
    "imaging_received": lambda p: f"Image received ({p['body_part']}, {p['media_type']}), "
                                  f"review due {p['review_due']}",
    "complication_reported": lambda p: f"Complication reported: {p['kind']}, act by {p['act_by']}",
    "escalation_resolved": lambda p: f"Complication {p['kind']} acted on: {p['action_code']}",
    "imaging_reviewed": lambda p: f"Image reviewed: {p['outcome']}",
    "checkup_assessed": lambda p: f"Check-up assessed: {p['outcome']}",
    # Deadlines as facts (durable timers of their producers), when they pass unmet.
    "deposit_overdue": lambda p: f"Deposit overdue: {_money(p['deposit_cents'])} was due {p['deposit_due']}",
    "balance_overdue": lambda p: f"Balance overdue: {_money(p['balance_cents'])} was due {p['balance_due']}",
    "questionnaire_overdue": lambda p: f"Questionnaire overdue: opened {p['opened_on']}, "
                                       f"not submitted by {p['due_by']}",
    "image_review_overdue": lambda p: f"Image review overdue: it was due {p['review_due']}",
    "escalation_overdue": lambda p: f"Complication {p['kind']} not acted on by {p['act_by']}",
    "checkup_missed": lambda p: f"Check-up of {p['due_on']} missed: nothing recorded by {p['window_ends']}",
    "refund_requested": lambda p: f"Refund of {_money(p['refund_cents'])} decided: {p['reason_code']}",
    "preop_reminder_due": lambda p: f"Patient reminded of the pre-op check on {p['preop_check_date']}",
    "checkup_reminder_due": lambda p: f"Patient reminded of the check-up on {p['checkup_date']}",
    "care_message_posted": lambda p: (
        f"Patient wrote to the {p['addressed_role'].replace('_', ' ')}" if p["author"] == "patient"
        else f"The {(p.get('author_role') or 'care team').replace('_', ' ')} answered the patient")
        + (f" ({p['attachments']} attachments)" if p.get("attachments") else ""),
    "erasure_requested": lambda p: "Personal and health data purged: the retention period ended"
    if p.get("purge") else "Erasure of personal data requested",
    "consent_withdrawn": _consent_withdrawn,
    "retention_ended": lambda p: f"Retention period ended ({RETENTION_RULES[p['rule']]}, kept until "
                                 f"{p['kept_until']}): the record is purged in every service",
    "erasure_confirmed": lambda p: f"Erasure answered by {p['service']}: " + (
        "erased" if p["erased"] else f"kept ({p.get('retained_reason') or 'no reason given'})"),
}

# What a journey can wait for, as staff read it.
WAITING = {
    "prescreen": "automatic pre-screen", "stop_smoking": "patient to stop smoking",
    "treatment_availability": "treatment for this amputation level",
    "outpatient_invitation": "invitation to the outpatient clinic", "consultation": "consultation",
    "psychologist_call": "psychologist's telephone appointment",
    "specialist_introduction": "specialist's introductory meeting", "questionnaire": "questionnaire",
    "additional_examinations": "additional examinations", "screening_decision": "screening decision",
    "second_opinion_appointment": "second-opinion appointment", "invoice": "invoice",
    "second_opinion_visit": "second-opinion appointment (booked)",
    "second_opinion_outcome": "outcome of the second opinion",
    "health_questions": "health questions (after a second opinion)",
    "deposit": "deposit", "surgery_date": "surgery date", "planner_action": "planner (no date fits)",
    "travel_conflict_resolution": "travel conflict resolution",
    "itinerary_confirmation": "itinerary confirmation", "balance_payment": "balance payment",
    "dispute_resolution": "the bank's decision on a disputed payment",
    "preop_check": "pre-op check", "surgery": "surgery", "new_surgery_date": "new surgery date",
    "ward_discharge": "ward discharge", "rehab_plan": "rehabilitation plan",
    "physiotherapist_attention": "physiotherapist's attention", "target_load": "target load",
    "departure_change": "travel desk: rehabilitation now ends after the booked flight home",
    "prosthesis_fitting": "prosthesis fitting", "rehab_completion": "end of rehabilitation",
    "specialist_review": "specialist's review of an image", "complication_action": "action on a complication",
    "followup_plan": "follow-up plan", "checkup": "next check-up",
}


def summary(fact: Fact) -> str:
    """One line for the staff timeline; an unknown type still shows as itself."""
    describe = SUMMARY.get(fact.type)
    try:
        return describe(fact.payload)[:500] if describe else fact.type.replace("_", " ").capitalize()
    except (KeyError, TypeError):  # a newer payload shape: the type still tells what happened
        return fact.type.replace("_", " ").capitalize()


def waiting_label(code: str) -> str:
    return WAITING.get(code, code.replace("_", " "))
