"""A problem the patient reports from home, as the complication the clinic must act on, and
whether it is urgent enough that the patient must act now (JOURNEY.md stage 6)."""
from dataclasses import dataclass
from datetime import date

from shared.errors import Invalid

# What the patient can report, and the complication the specialist is asked to act on: a fall is
# looked at as a possible fracture near the implant until an X-ray says otherwise.
PROBLEMS = ("stoma_irritation", "pain", "infection_signs", "fall")
COMPLICATION_OF = {"stoma_irritation": "stoma_irritation", "pain": "pain", "infection_signs": "infection",
                   "fall": "fracture"}
SYMPTOMS = ("fever", "discharge", "spreading_redness", "bleeding", "cannot_bear_weight", "implant_moves")
# What the page tells the patient to do before the clinic answers.
CALL_NOW, SEE_DOCTOR_NOW, CLINIC_WILL_CALL = "call_clinic_now", "see_doctor_now", "clinic_will_contact"
SEVERE_PAIN = 8


@dataclass(frozen=True)
class Urgency:
    urgent: bool
    advice: str
    reasons: tuple[str, ...]       # which signs made it urgent (the rule explains itself)


def check_report(problem: str, symptoms: list[str], pain_score: int | None, started_on: date | None,
                 today: date) -> list[str]:
    """The report's symptoms, once each; Invalid naming the field otherwise."""
    if problem not in PROBLEMS:
        raise Invalid("unknown problem", fields={"problem": [f"one of {', '.join(PROBLEMS)}"]})
    if unknown := [s for s in symptoms if s not in SYMPTOMS]:
        raise Invalid("unknown symptom",
                      fields={"symptoms": [f"not one of the signs we ask about: {unknown[0]}"]})
    if pain_score is not None and not 0 <= pain_score <= 10:
        raise Invalid("pain is scored from 0 to 10", fields={"pain_score": ["must be from 0 to 10"]})
    if started_on is not None and started_on > today:
        raise Invalid("the problem cannot start in the future", fields={"started_on": ["not after today"]})
    return list(dict.fromkeys(symptoms))


def urgency(problem: str, symptoms: list[str], pain_score: int | None) -> Urgency:
    """Signs of infection with fever, a fall after which the leg cannot bear weight or the implant
    moves, bleeding that does not stop, or severe pain: the patient must not wait for the clinic."""
    signs = set(symptoms)
    reasons = []
    if "fever" in signs and (problem == "infection_signs" or signs & {"discharge", "spreading_redness"}):
        reasons.append("fever_with_infection_signs")
    if problem == "fall" and signs & {"cannot_bear_weight", "implant_moves"}:
        reasons.append("fall_with_possible_fracture")
    if "implant_moves" in signs and "fall_with_possible_fracture" not in reasons:
        reasons.append("implant_moves")
    if "bleeding" in signs:
        reasons.append("bleeding")
    if pain_score is not None and pain_score >= SEVERE_PAIN:
        reasons.append("severe_pain")
    if not reasons:
        return Urgency(False, CLINIC_WILL_CALL, ())
    # Fever or a possible fracture needs a doctor who can examine the patient today; the rest the
    # clinic can triage on the telephone first.
    see_doctor = {"fever_with_infection_signs", "fall_with_possible_fracture"} & set(reasons)
    return Urgency(True, SEE_DOCTOR_NOW if see_doctor else CALL_NOW, tuple(reasons))


def complication_of(problem: str) -> str:
    return COMPLICATION_OF[problem]
