"""Screening: ordered steps, appointments, and when a decision may be taken.

A step is completed only when every earlier required step is completed or
explicitly skipped (with a reason). Additional examinations are optional:
nothing waits for them, but they too must come after the steps before them.
"""
from collections.abc import Mapping

from shared.errors import Conflict, Invalid

STEPS = ("outpatient_invitation", "consultation", "psychologist_call",
         "specialist_introduction", "questionnaire", "additional_examinations")
OPTIONAL = frozenset({"additional_examinations"})
# Done when an appointment for them is marked done.
APPOINTMENT_STEPS = frozenset({"consultation", "psychologist_call", "specialist_introduction"})
# Done when staff say so (the invitation went out; every examination needed is done).
MANUAL_STEPS = frozenset({"outpatient_invitation", "additional_examinations"})
# Done when the patient submits the questionnaire.
PATIENT_STEPS = frozenset({"questionnaire"})
EXAMINATIONS = ("x_ray", "bone_density", "blood_tests", "other")
CHANNELS = ("phone", "video", "in_person")
COMPLETED, SKIPPED = "completed", "skipped"

PLANNED, DONE, MISSED, CANCELLED = "planned", "done", "missed", "cancelled"
APPOINTMENT_STATUSES = (PLANNED, DONE, MISSED, CANCELLED)
_NEXT_STATUS = {PLANNED: {DONE, MISSED, CANCELLED}}


def check_known(step: str) -> None:
    if step not in STEPS:
        raise Invalid(f"unknown screening step {step!r}", fields={"step": [f"one of {', '.join(STEPS)}"]})


def waiting_for(step: str, done: Mapping[str, str]) -> list[str]:
    """The earlier required steps neither completed nor skipped."""
    return [s for s in STEPS[:STEPS.index(step)] if s not in done and s not in OPTIONAL]


def check_can_complete(step: str, done: Mapping[str, str]) -> None:
    """Refuse completing a step twice, or before the required steps ahead of it."""
    check_known(step)
    if step in done:
        raise Conflict(f"the step {step} is already {done[step]}")
    missing = waiting_for(step, done)
    if missing:
        raise Conflict(f"{step} cannot be completed before {missing[0]}; complete it or skip it "
                       "with a reason", waiting_for=missing)


def check_can_skip(step: str, done: Mapping[str, str]) -> None:
    check_known(step)
    if step in done:
        raise Conflict(f"the step {step} is already {done[step]}")


def check_manual(step: str) -> None:
    if step not in MANUAL_STEPS:
        how = "its appointment is marked done" if step in APPOINTMENT_STEPS else "the patient submits it"
        raise Conflict(f"the step {step} is completed when {how}")


def check_can_accept(done: Mapping[str, str], planned_examinations: int) -> None:
    missing = [s for s in STEPS if s not in done and s not in OPTIONAL]
    if missing:
        raise Conflict("screening is not finished", waiting_for=missing)
    if planned_examinations:
        raise Conflict("additional examinations are still planned")


def next_step(done: Mapping[str, str]) -> str | None:
    return next((s for s in STEPS if s not in done and s not in OPTIONAL), None)


def check_appointment(step: str, examination: str | None) -> None:
    """Appointments belong to appointment steps; examinations name what is examined."""
    check_known(step)
    if step not in APPOINTMENT_STEPS and step != "additional_examinations":
        raise Invalid(f"the step {step} has no appointments", fields={"step": ["not an appointment step"]})
    if step == "additional_examinations" and examination is None:
        raise Invalid("say which examination", fields={"examination": [f"one of {', '.join(EXAMINATIONS)}"]})
    if step != "additional_examinations" and examination is not None:
        raise Invalid("only additional examinations name an examination",
                      fields={"examination": ["only for additional_examinations"]})


def check_transition(current: str, new: str) -> None:
    if new != current and new not in _NEXT_STATUS.get(current, set()):
        raise Conflict(f"an appointment that is {current} cannot become {new}")


def completes_step(step: str) -> bool:
    """Does marking an appointment of this step done complete the step?"""
    return step in APPOINTMENT_STEPS
