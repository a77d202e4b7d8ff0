"""A withdrawn consent to process the patient's data (enquiries' consent_withdrawn): rehabilitation
stops. A plan expected, waiting or under way is withdrawn (`rehab_plan_withdrawn`, reason
`consent_withdrawn`), so no session or day is recorded against it any more; a completed plan stays as
it is. Before the operation surgery's cancellation withdraws it as well; after it, this is what stops it.
Marketing consent changes nothing here."""
from services.rehabilitation.handlers.plans import CONSENT_WITHDRAWN, record_for
from shared.consent import stops_processing
from shared.contracts.rehabilitation import RehabPlanWithdrawn
from shared.db import UnitOfWork
from shared.events import Event


def stop_on_consent_withdrawn(uow: UnitOfWork, event: Event) -> None:
    if not stops_processing(event):
        return
    with uow:
        plan = record_for(uow.session, event.journey_id)
        if plan.status in ("withdrawn", "completed"):
            return
        plan.status, plan.withdrawn_reason = "withdrawn", CONSENT_WITHDRAWN
        uow.emit(RehabPlanWithdrawn, {"plan_id": plan.plan_id, "reason_code": CONSENT_WITHDRAWN},
                 event.journey_id)
