"""Event use cases: the process manager that schedules each journey's surgery once."""
from services.surgery import booking, cases, domain, planning
from services.surgery.settings import SurgerySettings
from shared.events import Event


def record_acceptance(uow, settings: SurgerySettings, event: Event) -> None:
    """enquiries.patient_accepted: remember it (and the earliest date); schedule if paid."""
    _record_fact(uow, settings, event, accepted=True)


def record_deposit(uow, settings: SurgerySettings, event: Event) -> None:
    """payments.deposit_paid: remember it; schedule if accepted."""
    _record_fact(uow, settings, event, deposit_paid=True)


def _record_fact(uow, settings: SurgerySettings, event: Event, **fact) -> None:
    today = settings.today()

    def work(uow):
        case = cases.get_or_start(uow.session, event.journey_id)
        if fact.get("accepted"):
            case.accepted = True
            case.earliest_surgery_date = event.payload.get("earliest_surgery_date")
        if fact.get("deposit_paid"):
            case.deposit_paid = True
        case.updated_at = cases.now()
        if domain.ready_to_schedule(case.status, case.accepted, case.deposit_paid):
            planning.schedule_or_block(uow, case, settings, today, "surgery_scheduled")

    booking.retrying(uow, work)


def confirm_erasure(uow, event: Event) -> None:
    """journey.erasure_requested: this service holds no enquirer's personal data."""
    with uow:
        uow.emit("erasure_confirmed", {"request_id": event.payload["request_id"], "service": "surgery",
                                       "erased": True}, event.journey_id)
