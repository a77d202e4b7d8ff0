"""What staff read: the worklist and one enquiry in full."""
from sqlalchemy import func, select

from services.enquiries.domain import screening as steps
from services.enquiries.handlers.common import enquiry_for
from services.enquiries.models import Appointment, Enquiry, Prescreen, QuestionnaireResponse, ScreeningStep
from services.enquiries.schemas import load
from services.enquiries.schemas.commands import Worklist
from services.enquiries.schemas.views import DetailView, SummaryView


def worklist(uow, query: dict) -> dict:
    """Enquiries oldest first (the queue order), filtered by status and kind, a page at a time."""
    q = load(Worklist, query)
    filters = [column == q[key] for key, column in (("status", Enquiry.status), ("kind", Enquiry.kind))
               if q[key] is not None]
    with uow:
        total = uow.session.scalar(select(func.count()).select_from(Enquiry).where(*filters))
        rows = uow.session.scalars(select(Enquiry).where(*filters).order_by(Enquiry.received_at, Enquiry.id)
                                   .limit(q["per_page"]).offset((q["page"] - 1) * q["per_page"]))
        items = SummaryView(many=True).dump(list(rows))
    return {"items": items, "total": total, "page": q["page"], "per_page": q["per_page"]}


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
        view = DetailView().dump(enquiry)
        view.update(DetailView(only=("prescreens", "steps", "next_step", "appointments", "questionnaire"))
                    .dump({"prescreens": list(prescreens), "appointments": list(appointments),
                           "steps": [done.get(step) or {"step": step, "state": "pending"}
                                     for step in steps.STEPS],
                           "next_step": steps.next_step({k: v.state for k, v in done.items()})
                           if enquiry.status == "screening" else None,
                           "questionnaire": session.get(QuestionnaireResponse, enquiry.id)}))
    return view
