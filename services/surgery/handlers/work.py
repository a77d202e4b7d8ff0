"""What waits for the planner in surgery (My work): cases for which no date fits, pre-op checks due, and
surgeries postponed after a patient was found not fit. Each kind is one query, in the order it is to be
done (shared/work.py); ids, codes and dates only."""

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from services.surgery.domain import lifecycle
from services.surgery.models import PreopCheck, SurgeryCase
from shared import work


def _scheduling_blocked(w: dict):
    """Accepted and paid, but no date fits within the horizon: a planner books one by hand."""
    query = (select(SurgeryCase.journey_id, SurgeryCase.blocked_by, SurgeryCase.updated_at)
             .where(SurgeryCase.status == lifecycle.BLOCKED)
             .order_by(SurgeryCase.updated_at, SurgeryCase.journey_id))
    return query, lambda r, p: work.item(r.journey_id, code=(r.blocked_by or "").split(",")[0] or None,
                                         since=r.updated_at)


def _preop_check_due(w: dict):
    """Scheduled surgeries whose day-before check comes by the horizon; one passed unrecorded is overdue."""
    query = (select(SurgeryCase.journey_id, SurgeryCase.surgery_id, SurgeryCase.preop_check_date,
                    SurgeryCase.surgery_date)
             .where(SurgeryCase.status == lifecycle.SCHEDULED,
                    SurgeryCase.preop_check_date <= w["horizon"])
             .order_by(SurgeryCase.preop_check_date, SurgeryCase.journey_id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.surgery_id, due_on=r.preop_check_date,
                                         overdue=r.preop_check_date < p["today"])


def _not_fit_postponed(w: dict):
    """The latest pre-op check found the patient not fit and the surgery was booked again: the new date
    is the planner's to confirm with the patient and the ward, until the next check."""
    later = aliased(PreopCheck)
    query = (select(SurgeryCase.journey_id, PreopCheck.id, PreopCheck.reason_code, PreopCheck.recorded_at,
                    SurgeryCase.preop_check_date)
             .join(PreopCheck, PreopCheck.journey_id == SurgeryCase.journey_id)
             .where(PreopCheck.fit.is_(False), SurgeryCase.status == lifecycle.SCHEDULED,
                    ~exists().where(later.journey_id == PreopCheck.journey_id, later.id > PreopCheck.id))
             .order_by(PreopCheck.recorded_at, PreopCheck.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, code=r.reason_code,
                                         since=r.recorded_at, due_on=r.preop_check_date,
                                         overdue=r.preop_check_date < p["today"])


KINDS = work.DayWindowKinds({"scheduling_blocked": _scheduling_blocked, "preop_check_due": _preop_check_due,
                             "not_fit_postponed": _not_fit_postponed})
queues = KINDS.queues
