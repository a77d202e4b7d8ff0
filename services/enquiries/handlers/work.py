"""What waits for staff in enquiries (My work): automatic pre-screen outcomes to review, screening steps to
arrange, screening appointments to hold, questionnaires to read, decisions due, health questions to ask,
and second opinions to book or record. Each kind is one query, in the order it is to be done
(shared/work.py); ids, codes and times only."""
from datetime import time, timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from services.enquiries.domain import screening as steps
from services.enquiries.domain import second_opinion as so
from services.enquiries.domain.prescreen import STATUS_BY_OUTCOME
from services.enquiries.models import (
    Appointment,
    Enquiry,
    Prescreen,
    QuestionnaireResponse,
    ScreeningStep,
    SecondOpinionAppointment,
)
from shared import work
from shared.clock import ClinicClock, aware

REQUIRED = tuple(step for step in steps.STEPS if step not in steps.OPTIONAL)
ARRANGED = REQUIRED[:4]   # the invitation and the appointment steps; the questionnaire is the patient's
NOT_PASSED = tuple(status for outcome, status in STATUS_BY_OUTCOME.items() if outcome != "passed")
TO_HOLD = {f"{step}_to_hold": step for step in sorted(steps.APPOINTMENT_STEPS)}


def queues(uow, clock: ClinicClock, settings, query: dict) -> dict:
    """The kinds asked for, each counted beside its first `limit` items."""
    work.check_kinds(query["kinds"], KINDS)
    now, today = clock.now(), clock.today()
    window = {"now": now, "day_start": clock.at(today, time(0)),
              "review_days": settings.prescreen_review_days,
              "horizon": clock.at(today + timedelta(days=query["ahead_days"] + 1), time(0))}
    with uow:
        return {"queues": [_queue(uow.session, kind, window, query["limit"]) for kind in query["kinds"]]}


def _queue(session, kind: str, window: dict, limit: int) -> dict:
    if kind in TO_HOLD:
        return work.queue(session, kind, *_to_hold(TO_HOLD[kind], window), limit)
    return work.queue(session, kind, *KINDS[kind](window), limit)


def _has(step: str):
    """The enquiry's step is done or skipped (the unique index on enquiry and step answers it)."""
    return (exists().where(ScreeningStep.enquiry_id == Enquiry.id, ScreeningStep.step == step)
            .correlate(Enquiry))


def _last_step():
    return (select(func.max(ScreeningStep.done_at)).where(ScreeningStep.enquiry_id == Enquiry.id)
            .scalar_subquery())


def _planned(step) -> object:
    return exists().where(Appointment.enquiry_id == Enquiry.id, Appointment.status == steps.PLANNED,
                          Appointment.step == step)


def _prescreen_review(window: dict):
    """The latest outcome is automatic and not passed, decided in the last `review_days` (the enquiries in
    those statuses, a few, each with its latest pre-screen found by the index on its enquiry)."""
    latest = aliased(Prescreen)
    newest = (select(func.max(latest.id)).where(latest.enquiry_id == Enquiry.id).correlate(Enquiry)
              .scalar_subquery())
    query = (select(Enquiry.journey_id, Prescreen.outcome, Prescreen.decided_at)
             .join(Prescreen, Prescreen.id == newest)
             .where(Enquiry.status.in_(NOT_PASSED), Enquiry.decision.is_(None), Enquiry.erased_at.is_(None),
                    Prescreen.overridden.is_(False),
                    or_(Prescreen.decided_by == "system", Prescreen.decided_by.like("patient:%")),
                    Prescreen.decided_at >= window["now"] - timedelta(days=window["review_days"]))
             .order_by(Prescreen.decided_at, Enquiry.id))
    return query, lambda r: work.item(r.journey_id, code=r.outcome, since=r.decided_at)


def _screening_to_arrange(window: dict):
    """The next screening step is staff's to arrange (the invitation, or an appointment not yet planned),
    the oldest enquiry first: each enquiry's next step is a few index reads, and the list stops early."""
    next_step = case(*((~_has(step), step) for step in ARRANGED), else_=None)
    since = func.coalesce(_last_step(), Enquiry.received_at)
    query = (select(Enquiry.journey_id, next_step.label("step"), since.label("since"))
             .where(Enquiry.status == "screening", next_step.is_not(None), ~_planned(next_step))
             .order_by(Enquiry.received_at, Enquiry.id))
    return query, lambda r: work.item(r.journey_id, code=r.step, since=r.since)


def _to_hold(step: str, window: dict):
    """Planned appointments of a step up to the horizon; one whose day has passed unrecorded is overdue."""
    query = (select(Enquiry.journey_id, Appointment.id, Appointment.scheduled_at, Appointment.channel)
             .join(Enquiry, Enquiry.id == Appointment.enquiry_id)
             .where(Appointment.step == step, Appointment.status == steps.PLANNED,
                    Appointment.scheduled_at < window["horizon"], Enquiry.status == "screening")
             .order_by(Appointment.scheduled_at, Appointment.id))
    return query, lambda r: work.item(r.journey_id, reference=r.id, code=r.channel, due_at=r.scheduled_at,
                                      overdue=aware(r.scheduled_at) < window["day_start"])


def _questionnaire_to_read(window: dict):
    query = (select(Enquiry.journey_id, QuestionnaireResponse.submitted_at)
             .join(QuestionnaireResponse, QuestionnaireResponse.enquiry_id == Enquiry.id)
             .where(QuestionnaireResponse.status == "submitted", Enquiry.status == "screening")
             .order_by(QuestionnaireResponse.submitted_at, Enquiry.id))
    return query, lambda r: work.item(r.journey_id, since=r.submitted_at)


def _decision_due(window: dict):
    """Every required step done or skipped and no examination still planned: accept or decline (the
    enquiries whose questionnaire is in, a few, are the ones to look at)."""
    last = _last_step()
    questionnaire_in = select(ScreeningStep.enquiry_id).where(ScreeningStep.step == "questionnaire")
    query = (select(Enquiry.journey_id, last.label("last"))
             .where(Enquiry.id.in_(questionnaire_in), Enquiry.status == "screening",
                    *(_has(step) for step in REQUIRED[:-1]), ~_planned("additional_examinations"))
             .order_by(last, Enquiry.id))
    return query, lambda r: work.item(r.journey_id, since=r.last)


def _health_questions(window: dict):
    query = (select(Enquiry.journey_id, Enquiry.received_at)
             .where(Enquiry.status == so.AWAITING_HEALTH, Enquiry.erased_at.is_(None))
             .order_by(Enquiry.received_at, Enquiry.id))
    return query, lambda r: work.item(r.journey_id, since=r.received_at)


def _second_opinion_to_book(window: dict):
    """Waiting for an appointment: since the request, or since the appointment that was missed."""
    missed = (select(func.max(SecondOpinionAppointment.updated_at))
              .where(SecondOpinionAppointment.enquiry_id == Enquiry.id,
                     SecondOpinionAppointment.status == so.MISSED).scalar_subquery())
    since = func.coalesce(missed, Enquiry.received_at)
    query = (select(Enquiry.journey_id, Enquiry.status, since.label("since"))
             .where(Enquiry.kind == "second_opinion", Enquiry.status.in_((so.AWAITING, so.MISSED)),
                    Enquiry.erased_at.is_(None))
             .order_by(since, Enquiry.id))
    return query, lambda r: work.item(r.journey_id, code=r.status, since=r.since)


def _second_opinion_to_record(window: dict):
    """A booked visit whose time has passed (held or missed?), or a held one without its outcome."""
    visit = SecondOpinionAppointment
    query = (select(Enquiry.journey_id, Enquiry.status, visit.id, visit.scheduled_at, visit.updated_at)
             .join(visit, visit.enquiry_id == Enquiry.id)
             .where(Enquiry.kind == "second_opinion",
                    or_(and_(Enquiry.status == so.BOOKED, visit.status == so.BOOKED,
                             visit.scheduled_at < window["now"]),
                        and_(Enquiry.status == so.HELD, visit.status == so.HELD)))
             .order_by(visit.scheduled_at, visit.id))
    return query, lambda r: work.item(
        r.journey_id, reference=r.id, code="visit_unrecorded" if r.status == so.BOOKED else "outcome_missing",
        due_at=r.scheduled_at if r.status == so.BOOKED else None,
        since=r.updated_at if r.status == so.HELD else None,
        overdue=r.status == so.BOOKED and aware(r.scheduled_at) < window["day_start"])


KINDS = {"prescreen_review": _prescreen_review, "screening_to_arrange": _screening_to_arrange,
         **dict.fromkeys(TO_HOLD), "questionnaire_to_read": _questionnaire_to_read,
         "decision_due": _decision_due, "health_questions_to_ask": _health_questions,
         "second_opinion_to_book": _second_opinion_to_book,
         "second_opinion_to_record": _second_opinion_to_record}
