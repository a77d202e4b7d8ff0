"""The patient's own view: next steps and appointments in plain words, nothing internal."""
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from services.journey.domain.projection import Projection
from services.journey.domain.record import Record

STAGE_WORDS = {
    "enquiry": "We have your enquiry", "on_hold": "Your enquiry is on hold",
    "waitlisted": "You are on our waiting list", "screening": "Getting to know you",
    "payment": "You have been accepted for treatment", "scheduling": "Planning your surgery",
    "surgery_planned": "Your surgery is planned", "clinical_stay": "In hospital after your surgery",
    "rehabilitation": "Rehabilitation", "follow_up": "Check-ups at home",
    "information": "Information sent", "second_opinion": "Your second opinion",
    "declined": "Treatment is not possible at this time", "cancelled": "Your treatment was cancelled",
    "erasure": "Your data is being erased",
    "consent_withdrawn": "You withdrew your consent: we have stopped",
    "second_opinion_concluded": "Your second opinion is complete",
}

NEXT_STEPS = {
    "prescreen": "We are reading your enquiry. You will hear from us soon.",
    "stop_smoking": "Your enquiry is on hold until you have stopped smoking. Tell us when you have stopped.",
    "treatment_availability": "The clinic does not treat your amputation level yet. "
                              "We will contact you when it can.",
    "outpatient_invitation": "We will invite you to the osseointegration outpatient clinic.",
    "consultation": "Next is a consultation where we explain the treatment to you.",
    "psychologist_call": "A psychologist will call you for a telephone appointment.",
    "specialist_introduction": "You will meet the specialist for an introduction and a first assessment.",
    "questionnaire": "Please fill in the questionnaire we sent you.",
    "additional_examinations": "Some more examinations may be needed, such as an X-ray or a blood test.",
    "screening_decision": "The specialist team is deciding about your treatment. We will let you know.",
    "second_opinion_appointment": "We will contact you to book your second-opinion appointment in Amsterdam.",
    "second_opinion_visit": "Your second-opinion appointment at our partner clinic in Amsterdam is booked. "
                            "You find the date under your appointments.",
    "second_opinion_outcome": "Thank you for coming to your second-opinion appointment. "
                              "We will send you the doctor's advice soon.",
    "health_questions": "Please answer a few questions about your health, so that we can see "
                        "whether the treatment could suit you.",
    "invoice": "You will receive the price for your treatment.",
    "deposit": "Please pay the deposit (half of the price) so that we can plan your surgery.",
    "surgery_date": "We are finding the best date for your surgery.",
    "planner_action": "We are finding the best date for your surgery.",
    "travel_conflict_resolution": "Your travel plans need a change. Our travel desk is arranging it.",
    "itinerary_confirmation": "We are booking your flights and your hotel.",
    "balance_payment": "Please pay the rest of the price before your surgery.",
    "dispute_resolution": "Your bank has questioned one of your payments. "
                          "Our finance team will contact you about it.",
    "preop_check": "Come to the hospital for a medical check the day before your surgery.",
    "surgery": "You are ready for your surgery.",
    "new_surgery_date": "We will find a new date for your surgery.",
    "ward_discharge": "You are recovering on the nursing ward.",
    "rehab_plan": "Your rehabilitation programme is being prepared.",
    "physiotherapist_attention": "Your physiotherapist will talk with you about your exercises.",
    "target_load": "Keep building up the load on your implant with your daily exercises.",
    "prosthesis_fitting": "Your prosthesis will be fitted next.",
    "rehab_completion": "You are practising walking with your prosthesis.",
    "departure_change": "Your rehabilitation will take a few days longer than planned. "
                        "Our travel desk will change your flight home.",
    "specialist_review": "The specialist is looking at your latest images.",
    "complication_action": "Our team is following up on what you told us.",
    "followup_plan": "We are planning your check-ups from home.",
    "checkup": "Your next check-up is by video call or telephone (see your appointments).",
}


# The partner clinic where second opinions are held is in Amsterdam: its appointments fall on its dates.
PARTNER_CLINIC_TZ = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Appointment:
    on: date
    what: str
    past: bool


def next_steps(p: Projection) -> list[str]:
    steps = [NEXT_STEPS[code] for code in p.waiting_for if code in NEXT_STEPS]
    moved = postponed_in_country(p.record)
    if moved:
        steps.insert(0, moved)
    if advice := second_opinion_advice(p.record):
        steps.append(advice)
    return list(dict.fromkeys(steps))  # two waits may read the same to a patient


def postponed_in_country(r: Record) -> str | None:
    """A patient postponed while already in the Netherlands: the new plan, said plainly."""
    plan = r.surgery or {}
    if not plan.get("patient_in_country") or r.cancelled or r.performed:
        return None
    return (f"Your surgery has moved to {_day(plan['surgery_date'])}, with the medical check on "
            f"{_day(plan['preop_check_date'])}. Please stay in the Netherlands: your hotel is extended "
            f"and your flight home is moved to {_day(plan['departure_date'])}.")


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


# What the person reads once their second opinion has ended, by its outcome.
SECOND_OPINION_ADVICE = {
    "advised_to_enquire": "The doctor advised you to find out whether osseointegration suits you. We have "
                          "started that enquiry for you; we will ask you a few questions about your health.",
    "socket_adjustment_advised": "The doctor advised an adjustment of your socket. Please take this advice "
                                 "to your own prosthetist.",
    "no_action_needed": "The doctor found that no further treatment is needed.",
    "patient_withdrew": "You have withdrawn your request. You are welcome to ask again at any time.",
}


def second_opinion_advice(r: Record) -> str | None:
    state = r.second_opinion or {}
    return SECOND_OPINION_ADVICE.get(state.get("outcome")) if state.get("status") == "concluded" else None


def appointments(r: Record, today: date) -> list[Appointment]:
    """Dates the patient should know, in date order."""
    found: list[tuple[date, str]] = []
    if r.invoice and not r.deposit_paid_at:
        found.append((r.invoice["deposit_due"], "Deposit due"))
    if r.invoice and r.invoice.get("balance_due") and not r.paid_in_full:
        found.append((r.invoice["balance_due"], "Rest of the price due"))
    if r.surgery and not r.cancelled:
        if not r.surgery.get("patient_in_country"):   # already here: no arrival to come
            found.append((r.surgery["arrival_by"], "Arrive in the Netherlands (at the latest)"))
        found += [(r.surgery["preop_check_date"], "Medical check at the hospital"),
                  (r.surgery["surgery_date"], "Your surgery")]
    if (r.itinerary or {}).get("status") == "confirmed":
        found += [(r.itinerary["arrival_date"], "Your flight to the Netherlands"),
                  (r.itinerary["departure_date"], "Your flight home")]
    if r.rehab and not r.rehab.get("withdrawn_on"):
        found += [(r.rehab["start_date"], "Rehabilitation starts"),
                  (r.rehab["planned_end"], "Rehabilitation planned to end")]
    channel = {"video": "video call", "telephone": "telephone"}.get((r.followup or {}).get("channel"),
                                                                     "video call or telephone")
    for checkup_date in (r.followup or {}).get("checkup_dates", []):
        found.append((checkup_date, f"Check-up by {channel}"))
    second_opinion = r.second_opinion or {}
    if second_opinion.get("scheduled_at") and second_opinion.get("status") in ("booked", "held"):
        found.append((second_opinion["scheduled_at"].astimezone(PARTNER_CLINIC_TZ).date(),
                      "Your second-opinion appointment at the partner clinic in Amsterdam"))
    return [Appointment(on, what, on < today) for on, what in sorted(set(found))]
