"""What waits for staff in enquiries (My work): automatic pre-screen outcomes to review, screening steps to
arrange, screening appointments to hold, questionnaires to read, decisions due, health questions to ask,
and second opinions to book or record. Each kind is one query, in the order it is to be done
(shared/work.py); ids, codes and times only."""
from datetime import time, timedelta
from functools import cache

from sqlalchemy import DateTime, and_, bindparam, case, exists, func, or_, select
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


# What a kind's statement is bound to, each time it runs (the statements are built once: `_statement`).
PARAMS = {name: bindparam(name, type_=DateTime(timezone=True))
          for name in ("now", "day_start", "horizon", "review_since")}


def queues(uow, clock: ClinicClock, settings, query: dict) -> dict:
    """The kinds asked for, each counted beside its first `limit` items."""
    work.check_kinds(query["kinds"], KINDS)
    now, today = clock.now(), clock.today()
    params = {"now": now, "day_start": clock.at(today, time(0)),
              "horizon": clock.at(today + timedelta(days=query["ahead_days"] + 1), time(0)),
              "review_since": now - timedelta(days=settings.prescreen_review_days)}
    with uow:
        return {"queues": [work.queue(uow.session, kind, *_statement(kind, query["limit"]), params)
                           for kind in query["kinds"]]}


@cache
def _statement(kind: str, limit: int) -> tuple:
    query, item = _to_hold(TO_HOLD[kind], PARAMS) if kind in TO_HOLD else KINDS[kind](PARAMS)
    return work.counted(query, limit), item


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


def _prescreen_review(w: dict):
    """The latest outcome is automatic and not passed, decided in the last `review_days`: read from the
    outcomes of those days, the oldest first (their index), each checked to be its enquiry's latest."""
    later = aliased(Prescreen)
    query = (select(Enquiry.journey_id, Prescreen.outcome, Prescreen.decided_at)
             .select_from(Prescreen).join(Enquiry, Enquiry.id == Prescreen.enquiry_id)
             .where(Prescreen.decided_at >= w["review_since"], Prescreen.outcome != "passed",
                    Prescreen.overridden.is_(False),
                    or_(Prescreen.decided_by == "system", Prescreen.decided_by.like("patient:%")),
                    Enquiry.status.in_(NOT_PASSED), Enquiry.decision.is_(None), Enquiry.erased_at.is_(None),
                    ~exists().where(later.enquiry_id == Prescreen.enquiry_id, later.id > Prescreen.id))
             .order_by(Prescreen.decided_at, Prescreen.id))
    return query, lambda r, p: work.item(r.journey_id, code=r.outcome, since=r.decided_at)


def _screening_to_arrange(w: dict):
    """The next screening step is staff's to arrange (the invitation, or an appointment not yet planned),
    the oldest enquiry first. Which steps are done is one read of the enquiry's own steps (a bit each), so
    the list stops after the first few enquiries instead of reading every step of every enquiry."""
    bits = case(*((ScreeningStep.step == step, 1 << n) for n, step in enumerate(ARRANGED)), else_=0)
    done = (select(func.coalesce(func.sum(bits), 0)).where(ScreeningStep.enquiry_id == Enquiry.id)
            .correlate(Enquiry).scalar_subquery())
    next_step = case(*((done.op("&")(1 << n) == 0, step) for n, step in enumerate(ARRANGED)), else_=None)
    since = func.coalesce(_last_step(), Enquiry.received_at)
    query = (select(Enquiry.journey_id, next_step.label("step"), since.label("since"))
             .where(Enquiry.status == "screening", next_step.is_not(None), ~_planned(next_step))
             .order_by(Enquiry.received_at, Enquiry.id))
    return query, lambda r, p: work.item(r.journey_id, code=r.step, since=r.since)


def _to_hold(step: str, w: dict):
    """Planned appointments of a step up to the horizon; one whose day has passed unrecorded is overdue."""
    query = (select(Enquiry.journey_id, Appointment.id, Appointment.scheduled_at, Appointment.channel)
             .join(Enquiry, Enquiry.id == Appointment.enquiry_id)
             .where(Appointment.step == step, Appointment.status == steps.PLANNED,
                    Appointment.scheduled_at < w["horizon"], Enquiry.status == "screening")
             .order_by(Appointment.scheduled_at, Appointment.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, code=r.channel, due_at=r.scheduled_at,
                                         overdue=aware(r.scheduled_at) < p["day_start"])


def _questionnaire_to_read(w: dict):
    query = (select(Enquiry.journey_id, QuestionnaireResponse.submitted_at)
             .join(QuestionnaireResponse, QuestionnaireResponse.enquiry_id == Enquiry.id)
             .where(QuestionnaireResponse.status == "submitted", Enquiry.status == "screening")
             .order_by(QuestionnaireResponse.submitted_at, Enquiry.id))
    return query, lambda r, p: work.item(r.journey_id, since=r.submitted_at)


def _decision_due(w: dict):
    """Every required step done or skipped and no examination still planned: accept or decline (the
    enquiries whose questionnaire is in, a few, are the ones to look at)."""
    last = _last_step()
    questionnaire_in = select(ScreeningStep.enquiry_id).where(ScreeningStep.step == "questionnaire")
    query = (select(Enquiry.journey_id, last.label("last"))
             .where(Enquiry.id.in_(questionnaire_in), Enquiry.status == "screening",
                    *(_has(step) for step in REQUIRED[:-1]), ~_planned("additional_examinations"))
             .order_by(last, Enquiry.id))
    return query, lambda r, p: work.item(r.journey_id, since=r.last)


def _health_questions(w: dict):
    query = (select(Enquiry.journey_id, Enquiry.received_at)
             .where(Enquiry.status == so.AWAITING_HEALTH, Enquiry.erased_at.is_(None))
             .order_by(Enquiry.received_at, Enquiry.id))
    return query, lambda r, p: work.item(r.journey_id, since=r.received_at)


def _second_opinion_to_book(w: dict):
    """Waiting for an appointment: since the request, or since the appointment that was missed."""
    missed = (select(func.max(SecondOpinionAppointment.updated_at))
              .where(SecondOpinionAppointment.enquiry_id == Enquiry.id,
                     SecondOpinionAppointment.status == so.MISSED).scalar_subquery())
    since = func.coalesce(missed, Enquiry.received_at)
    query = (select(Enquiry.journey_id, Enquiry.status, since.label("since"))
             .where(Enquiry.kind == "second_opinion", Enquiry.status.in_((so.AWAITING, so.MISSED)),
                    Enquiry.erased_at.is_(None))
             .order_by(since, Enquiry.id))
    return query, lambda r, p: work.item(r.journey_id, code=r.status, since=r.since)


def _second_opinion_to_record(w: dict):
    """A booked visit whose time has passed (held or missed?), or a held one without its outcome."""
    visit = SecondOpinionAppointment
    query = (select(Enquiry.journey_id, Enquiry.status, visit.id, visit.scheduled_at, visit.updated_at)
             .join(visit, visit.enquiry_id == Enquiry.id)
             .where(Enquiry.kind == "second_opinion",
                    or_(and_(Enquiry.status == so.BOOKED, visit.status == so.BOOKED,
                             visit.scheduled_at < w["now"]),
                        and_(Enquiry.status == so.HELD, visit.status == so.HELD)))
             .order_by(visit.scheduled_at, visit.id))
    return query, lambda r, p: work.item(
        r.journey_id, reference=r.id, code="visit_unrecorded" if r.status == so.BOOKED else "outcome_missing",
        due_at=r.scheduled_at if r.status == so.BOOKED else None,
        since=r.updated_at if r.status == so.HELD else None,
        overdue=r.status == so.BOOKED and aware(r.scheduled_at) < p["day_start"])


KINDS = {"prescreen_review": _prescreen_review, "screening_to_arrange": _screening_to_arrange,
         **dict.fromkeys(TO_HOLD), "questionnaire_to_read": _questionnaire_to_read,
         "decision_due": _decision_due, "health_questions_to_ask": _health_questions,
         "second_opinion_to_book": _second_opinion_to_book,
         "second_opinion_to_record": _second_opinion_to_record}
