"""The specialist's assessment, escalations with deadlines, guidance, and what is overdue."""
from datetime import date

from sqlalchemy import select

from services.followup.domain import assessment as rules
from services.followup.domain import guidance as advice_rules
from services.followup.handlers import deadlines, new_id
from services.followup.handlers.checkups import find_checkup
from services.followup.handlers.plans import patient_of
from services.followup.models import Assessment, Checkup, Escalation, Guidance, Image, ReviewTask
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import (
    CheckupAssessed,
    ComplicationReported,
    EscalationResolved,
    ImagingReviewed,
)
from shared.errors import Conflict, NotFound


def assess(uow, clock: ClinicClock, s: Settings, journey_id: str, data: dict) -> dict:
    """Fine, watch or concern for an image or a check-up; each concern is escalated with a deadline."""
    concerns = rules.check_assessment(data["outcome"], data["concerns"])
    with uow:
        _subject(uow.session, journey_id, data["subject"], data["subject_id"])
        record = Assessment(id=new_id(), journey_id=journey_id, subject=data["subject"],
                            subject_id=data["subject_id"], outcome=data["outcome"],
                            assessed_by=uow.actor or "unknown", assessed_at=clock.now())
        uow.session.add(record)
        uow.session.flush()
        if data["subject"] == "image":
            _image_assessed(uow, clock, record)
        else:
            uow.emit(CheckupAssessed, {"checkup_id": record.subject_id, "outcome": record.outcome,
                                       "assessment_id": record.id}, journey_id)
        escalations = [_escalate(uow, clock, s, record, kind) for kind in concerns]
        return dict(vars(record), escalations=escalations)


def _subject(session, journey_id: str, subject: str, subject_id: str) -> None:
    if subject == "checkup":
        if find_checkup(session, journey_id, subject_id).status != "done":
            raise Conflict("only a done check-up can be assessed")
        return
    image = session.get(Image, subject_id)
    if image is None or image.journey_id != journey_id:
        raise NotFound("no such image for this journey", image_id=subject_id)


def _image_assessed(uow, clock: ClinicClock, record: Assessment) -> None:
    """Every assessment of an image is announced; the first closes its review task and meets its
    deadline; a "watch" makes the next planned check-up look at the image again."""
    focus = None
    if rules.consequence(record.outcome) == rules.FOCUS_NEXT_CHECKUP:
        focus = _focus_next_checkup(uow.session, clock, record)
    for task in uow.session.scalars(select(ReviewTask).where(
            ReviewTask.image_id == record.subject_id, ReviewTask.status == "open")):
        task.status, task.done_at = "done", clock.now()
        deadlines.review_done(uow, record.subject_id)
    uow.emit(ImagingReviewed, {"image_id": record.subject_id, "outcome": record.outcome,
                               "assessment_id": record.id, "focus_checkup_id": focus}, record.journey_id)


def _focus_next_checkup(session, clock: ClinicClock, record: Assessment) -> str | None:
    image = session.get(Image, record.subject_id)
    planned = session.execute(select(Checkup.id, Checkup.due_on).where(
        Checkup.journey_id == record.journey_id, Checkup.status == "planned")).all()
    checkup_id = rules.next_checkup([tuple(row) for row in planned], clock.today())
    if checkup_id is not None:
        checkup = session.get(Checkup, checkup_id)
        checkup.focus_body_part, checkup.focus_image_id = image.body_part, image.id
    return checkup_id


def _escalate(uow, clock: ClinicClock, s: Settings, record: Assessment, kind: str) -> Escalation:
    surgery = patient_of(uow.session, record.journey_id).surgery_date
    kind = rules.escalation_kind(kind, surgery, clock.today())
    escalation = Escalation(id=new_id(), journey_id=record.journey_id, assessment_id=record.id, kind=kind,
                            act_by=rules.act_by(kind, clock.today(), s.escalation_days,
                                                s.default_escalation_days),
                            status="open")
    uow.session.add(escalation)
    deadlines.arm_escalation(uow, clock, escalation)
    uow.emit(ComplicationReported, {
        "escalation_id": escalation.id, "kind": kind, "act_by": escalation.act_by,
        "subject": record.subject, "subject_id": record.subject_id}, record.journey_id)
    return escalation


def resolve_escalation(uow, clock: ClinicClock, journey_id: str, escalation_id: str,
                       data: dict) -> Escalation:
    """The clinic acted on a complication (the action as a code, e.g. antibiotics_started)."""
    with uow:
        escalation = uow.session.get(Escalation, escalation_id)
        if escalation is None or escalation.journey_id != journey_id:
            raise NotFound("no such escalation for this journey", escalation_id=escalation_id)
        if escalation.status != "open":
            raise Conflict("the escalation is already resolved")
        escalation.status, escalation.action_code = "resolved", data["action_code"]
        escalation.resolved_by, escalation.resolved_at = uow.actor, clock.now()
        uow.emit(EscalationResolved, {"escalation_id": escalation.id, "kind": escalation.kind,
                                      "action_code": escalation.action_code}, journey_id)
        deadlines.escalation_done(uow, escalation.id)
        return escalation


def set_guidance(uow, journey_id: str, data: dict) -> Guidance:
    """A specialist's advice on one activity for this patient (overrides the clinic's rule)."""
    advice_rules.check_advice(data["advice"], data["not_before"])
    with uow:
        patient_of(uow.session, journey_id)
        row = uow.session.scalar(select(Guidance).where(Guidance.journey_id == journey_id,
                                                        Guidance.activity == data["activity"]))
        if row is None:
            row = Guidance(journey_id=journey_id, activity=data["activity"])
            uow.session.add(row)
        row.advice, row.not_before, row.set_by = data["advice"], data["not_before"], uow.actor or "unknown"
        return row


def list_overdue(uow, clock: ClinicClock, as_of: date | None = None) -> dict:
    """Reviews and escalations past their date (as of today, or the day given), and check-ups
    flagged after repeated misses."""
    as_of = as_of or clock.today()
    with uow:
        reviews = uow.session.scalars(select(ReviewTask).where(
            ReviewTask.status == "open", ReviewTask.due_on < as_of).order_by(ReviewTask.due_on))
        escalations = uow.session.scalars(select(Escalation).where(
            Escalation.status == "open", Escalation.act_by < as_of).order_by(Escalation.act_by))
        flagged = uow.session.scalars(select(Checkup).where(
            Checkup.status == "planned", Checkup.flagged.is_(True)).order_by(Checkup.due_on))
        return {"as_of": as_of, "reviews": list(reviews), "escalations": list(escalations),
                "flagged_checkups": list(flagged)}
