"""Screening driven by staff: appointments, steps in order (or skipped with a reason), the decision."""
from sqlalchemy import func, select

from services.enquiries.domain import screening as steps
from services.enquiries.handlers.common import (
    actor,
    current_prescreen,
    done_steps,
    enquiry_for,
    require_status,
)
from services.enquiries.handlers.consents import require_consent
from services.enquiries.models import Appointment, Enquiry, ScreeningStep
from shared.clock import aware
from shared.contracts.enquiries import (
    PatientAccepted,
    PatientDeclined,
    ScreeningAppointmentCancelled,
    ScreeningAppointmentMoved,
    ScreeningAppointmentPlanned,
    ScreeningStepCompleted,
)
from shared.errors import Conflict, NotFound


def questionnaire_overdue_key(enquiry_id: str) -> str:
    """The durable timer of an open questionnaire's deadline (handlers/questionnaire.py arms it)."""
    return f"questionnaire_overdue:{enquiry_id}"


def record_step(uow, enquiry: Enquiry, step: str, state: str, at, reason: str | None = None) -> ScreeningStep:
    if step == "questionnaire":  # submitted or skipped: its deadline no longer stands
        uow.cancel_timer(questionnaire_overdue_key(enquiry.id))
    row = ScreeningStep(enquiry_id=enquiry.id, step=step, state=state, reason=reason,
                        done_by=actor(uow), done_at=at)
    uow.session.add(row)
    uow.emit(ScreeningStepCompleted, {"enquiry_id": enquiry.id, "step": step,
                                       "skipped": state == steps.SKIPPED}, enquiry.journey_id)
    return row


def plan_appointment(uow, clock, journey_id: str, data: dict) -> Appointment:
    """Plan an appointment of a screening step (any order: only completing is ordered)."""
    steps.check_appointment(data["step"], data["examination"])
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_consent(uow.session, enquiry)
        require_status(enquiry, "screening")
        row = Appointment(enquiry_id=enquiry.id, status=steps.PLANNED, planned_by=actor(uow),
                          updated_at=clock.now(), **data)
        uow.session.add(row)
        uow.session.flush()
        _announce(uow, enquiry, row, ScreeningAppointmentPlanned)
        return row


def change_appointment(uow, clock, journey_id: str, appointment_id: int, change: dict) -> Appointment:
    """Move a planned appointment, or record how it went; done completes its step, in order."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_consent(uow.session, enquiry)
        require_status(enquiry, "screening")
        row = uow.session.get(Appointment, appointment_id)
        if row is None or row.enquiry_id != enquiry.id:
            raise NotFound(f"no appointment {appointment_id} on this journey")
        if ("scheduled_at" in change or "channel" in change) and row.status != steps.PLANNED:
            raise Conflict(f"an appointment that is {row.status} cannot be moved")
        new_status = change.get("status", row.status)
        steps.check_transition(row.status, new_status)
        done = done_steps(uow.session, enquiry.id)
        completes = steps.completes_step(row.step) and row.step not in done
        if new_status == steps.DONE and row.status == steps.PLANNED and completes:
            steps.check_can_complete(row.step, done)
            record_step(uow, enquiry, row.step, steps.COMPLETED, clock.now())
        announced = _announcement(row, change, new_status)
        if announced is ScreeningAppointmentCancelled:   # the invitation is withdrawn as it was sent
            _announce(uow, enquiry, row, announced)
        for key, value in dict(change, status=new_status).items():
            setattr(row, key, value)
        row.updated_at = clock.now()
        if announced is ScreeningAppointmentMoved:
            _announce(uow, enquiry, row, announced)
        return row


def _announcement(row: Appointment, change: dict, new_status: str):
    """What the patient is told of a change: a planned appointment moved, or cancelled; else nothing
    (how an appointment went is the step's fact, screening_step_completed)."""
    if row.status != steps.PLANNED:
        return None
    if new_status == steps.CANCELLED:
        return ScreeningAppointmentCancelled
    current = {"scheduled_at": aware(row.scheduled_at), "channel": row.channel}
    if new_status == steps.PLANNED and any(key in change and change[key] != value
                                           for key, value in current.items()):
        return ScreeningAppointmentMoved
    return None


def _announce(uow, enquiry: Enquiry, row: Appointment, contract) -> None:
    uow.emit(contract, {"enquiry_id": enquiry.id, "appointment_id": row.id, "step": row.step,
                        "examination": row.examination, "scheduled_at": aware(row.scheduled_at),
                        "channel": row.channel}, enquiry.journey_id)


def complete_step(uow, clock, journey_id: str, step: str) -> ScreeningStep:
    """Staff mark a step done that no appointment or submission completes."""
    steps.check_known(step)
    steps.check_manual(step)
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_consent(uow.session, enquiry)
        require_status(enquiry, "screening")
        steps.check_can_complete(step, done_steps(uow.session, enquiry.id))
        if step == "additional_examinations" and _planned_examinations(uow.session, enquiry.id):
            raise Conflict("additional examinations are still planned")
        return record_step(uow, enquiry, step, steps.COMPLETED, clock.now())


def skip_step(uow, clock, journey_id: str, step: str, skip: dict) -> ScreeningStep:
    """Staff pass over a step on purpose; the reason stays on record."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_consent(uow.session, enquiry)
        require_status(enquiry, "screening")
        steps.check_can_skip(step, done_steps(uow.session, enquiry.id))
        return record_step(uow, enquiry, step, steps.SKIPPED, clock.now(), reason=skip["reason"])


def decide(uow, clock, journey_id: str, data: dict) -> dict:
    """Accept (every required step done or skipped) or decline (any time, with reasons)."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_consent(uow.session, enquiry)
        require_status(enquiry, "screening")
        if data["decision"] == "accepted":
            steps.check_can_accept(done_steps(uow.session, enquiry.id),
                                   _planned_examinations(uow.session, enquiry.id))
            uow.emit(PatientAccepted, _accepted(uow.session, enquiry), enquiry.journey_id)
        else:
            uow.emit(PatientDeclined, {"enquiry_id": enquiry.id, "stage": "screening",
                                       "reasons": data["reasons"]}, enquiry.journey_id)
        enquiry.status = enquiry.decision = data["decision"]
        uow.cancel_timer(questionnaire_overdue_key(enquiry.id))  # decided: nothing waits for it now
        enquiry.decision_reasons, enquiry.decision_note = data["reasons"], data["note"]
        enquiry.decided_by, enquiry.decided_at = actor(uow), clock.now()
        return {"journey_id": enquiry.journey_id, "status": enquiry.status, "reasons": data["reasons"]}


def _accepted(session, enquiry: Enquiry) -> dict:
    """What the later stages need to know about the new patient (no personal data)."""
    earliest = current_prescreen(session, enquiry.id).earliest_surgery_date
    return {"enquiry_id": enquiry.id, "earliest_surgery_date": earliest,
            "amputation_level": enquiry.amputation_level, "amputation_side": enquiry.amputation_side,
            "body_weight_kg": enquiry.body_weight_kg, "preferred_language": enquiry.preferred_language,
            "country": enquiry.country}


def _planned_examinations(session, enquiry_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.enquiry_id == enquiry_id, Appointment.step == "additional_examinations",
        Appointment.status == steps.PLANNED))
