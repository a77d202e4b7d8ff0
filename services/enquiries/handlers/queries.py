"""What staff read: the worklist and one enquiry in full."""
from sqlalchemy import func, inspect, select

from services.enquiries.domain import screening as steps
from services.enquiries.handlers import health_questions, second_opinion
from services.enquiries.handlers.common import enquiry_for
from services.enquiries.models import Appointment, Enquiry, Prescreen, QuestionnaireResponse, ScreeningStep

COLUMNS = tuple(column.key for column in inspect(Enquiry).columns)


def worklist(uow, query: dict) -> dict:
    """Enquiries oldest first (the queue order), filtered by status and kind, a page at a time."""
    filters = [column == query[key] for key, column in (("status", Enquiry.status), ("kind", Enquiry.kind))
               if query[key] is not None]
    with uow:
        total = uow.session.scalar(select(func.count()).select_from(Enquiry).where(*filters))
        rows = uow.session.scalars(select(Enquiry).where(*filters).order_by(Enquiry.received_at, Enquiry.id)
                                   .limit(query["per_page"]).offset((query["page"] - 1) * query["per_page"]))
        return {"items": list(rows), "total": total, "page": query["page"], "per_page": query["per_page"]}


def detail(uow, journey_id: str) -> dict:
    """One enquiry with its pre-screens, screening steps, appointments and questionnaire state."""
    with uow:
        enquiry = enquiry_for(uow, journey_id)
        session = uow.session
        prescreens = session.scalars(select(Prescreen).where(Prescreen.enquiry_id == enquiry.id)
                                     .order_by(Prescreen.id))
        done = {row.step: row for row in session.scalars(
            select(ScreeningStep).where(ScreeningStep.enquiry_id == enquiry.id))}
        appointments = session.scalars(select(Appointment).where(Appointment.enquiry_id == enquiry.id)
                                       .order_by(Appointment.scheduled_at, Appointment.id))
        return {**{key: getattr(enquiry, key) for key in COLUMNS},
                "prescreens": list(prescreens), "appointments": list(appointments),
                "steps": [done.get(step) or {"step": step, "state": "pending"} for step in steps.STEPS],
                "next_step": steps.next_step({k: v.state for k, v in done.items()})
                if enquiry.status == "screening" else None,
                "questionnaire": session.get(QuestionnaireResponse, enquiry.id),
                "second_opinion": second_opinion.view(session, enquiry)
                if enquiry.kind == "second_opinion" else None,
                "health_questions_unanswered": health_questions.unanswered(enquiry)}
