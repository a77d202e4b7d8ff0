"""A withdrawn consent to process the patient's data (enquiries' consent_withdrawn): surgery does not
go on. A case not yet operated on is cancelled (its capacity freed, `surgery_cancelled` announced with
reason `consent_withdrawn`, so travel cancels the trip and payments follows its refund policy); one
never started is closed, so a deposit paid later schedules nothing. Marketing consent changes nothing."""
from services.surgery.domain import lifecycle
from services.surgery.handlers import booking, cases
from shared.consent import stops_processing
from shared.contracts.surgery import SurgeryCancelled

REASON = "consent_withdrawn"


def stop_on_consent_withdrawn(uow, clock, event) -> None:
    """Cancel what can still be cancelled; confirm nothing else (an operation done stays done)."""
    if not stops_processing(event):
        return
    with uow:
        case = cases.get_or_start(uow.session, clock, event.journey_id)
        if case.status not in lifecycle.ALLOWED["cancel"]:
            return
        started = case.accepted or case.deposit_paid
        surgery_date = case.surgery_date
        booking.release(uow.session, case.journey_id)
        case.status = lifecycle.CANCELLED
        if started:
            uow.emit(SurgeryCancelled, {"surgery_id": case.surgery_id, "reason_code": REASON,
                                        "surgery_date": surgery_date}, case.journey_id)
        cases.record_change(uow, clock, case, "cancelled", REASON)
