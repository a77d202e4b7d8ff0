"""What waits for the specialist in follow-up (My work): images to review, complications to act on by
their date, check-ups to hold, and patients' requests to move a check-up. Each kind is one query, in the
order it is to be done (shared/work.py); ids, codes and dates only."""

from sqlalchemy import func, select

from services.followup.domain import checkups as rules
from services.followup.models import (
    Assessment,
    Checkup,
    CheckupMoveRequest,
    Escalation,
    Image,
    ProblemReport,
    ReviewTask,
)
from shared import work


def _image_review(w: dict):
    query = (select(ReviewTask.journey_id, ReviewTask.image_id, ReviewTask.due_on, Image.body_part,
                    Image.uploaded_at)
             .join(Image, Image.id == ReviewTask.image_id).where(ReviewTask.status == "open")
             .order_by(ReviewTask.due_on, Image.uploaded_at, ReviewTask.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.image_id, code=r.body_part,
                                         since=r.uploaded_at,
                                         due_on=r.due_on, overdue=r.due_on < p["today"])


def _escalation(w: dict):
    since = func.coalesce(Assessment.assessed_at, ProblemReport.reported_at)
    query = (select(Escalation.journey_id, Escalation.id, Escalation.kind, Escalation.act_by,
                    since.label("since"))
             .outerjoin(Assessment, Assessment.id == Escalation.assessment_id)
             .outerjoin(ProblemReport, ProblemReport.id == Escalation.report_id)
             .where(Escalation.status == "open").order_by(Escalation.act_by, since, Escalation.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, code=r.kind, since=r.since,
                                         due_on=r.act_by, overdue=r.act_by < p["today"])


def _checkup_to_hold(w: dict):
    """Planned check-ups up to the horizon; one whose day has passed is overdue (missed soon)."""
    query = (select(Checkup.journey_id, Checkup.id, Checkup.label, Checkup.due_on, Checkup.misses)
             .where(Checkup.status == rules.PLANNED, Checkup.due_on <= w["horizon"])
             .order_by(Checkup.due_on, Checkup.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, code=r.label, count=r.misses or None,
                                         due_on=r.due_on, overdue=r.due_on < p["today"])


def _move_request(w: dict):
    """The patient asks to move a check-up still to come (followup's own list, moves.open_requests)."""
    query = (select(CheckupMoveRequest.journey_id, Checkup.id, CheckupMoveRequest.reason,
                    CheckupMoveRequest.requested_at, Checkup.due_on)
             .join(Checkup, Checkup.id == CheckupMoveRequest.checkup_id)
             .where(Checkup.status == rules.PLANNED)
             .order_by(CheckupMoveRequest.requested_at, Checkup.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, code=r.reason, since=r.requested_at,
                                         due_on=r.due_on, overdue=r.due_on < p["today"])


KINDS = work.DayWindowKinds({"image_review": _image_review, "escalation": _escalation,
                             "checkup_to_hold": _checkup_to_hold, "checkup_move_request": _move_request})
queues = KINDS.queues
