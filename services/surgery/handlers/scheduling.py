"""Scheduling: once both facts have arrived, and by a planner (schedule, reschedule, cancel)."""
from services.surgery.domain import lifecycle
from services.surgery.domain.calendar import DAY, NoDateAvailable
from services.surgery.handlers import booking, cases, planning
from services.surgery.handlers.queries import read_case
from services.surgery.settings import SurgerySettings
from shared.clock import ClinicClock
from shared.contracts.surgery import SurgeryCancelled, SurgeryRescheduled, SurgeryScheduled
from shared.errors import Conflict, Invalid
from shared.events import Event


def record_acceptance(uow, settings: SurgerySettings, clock: ClinicClock, event: Event) -> None:
    """enquiries.patient_accepted: remember it (and the earliest date); schedule if paid."""
    _record_fact(uow, settings, clock, event, accepted=True)


def record_deposit(uow, settings: SurgerySettings, clock: ClinicClock, event: Event) -> None:
    """payments.deposit_paid: remember it; schedule if accepted."""
    _record_fact(uow, settings, clock, event, deposit_paid=True)


def _record_fact(uow, settings: SurgerySettings, clock: ClinicClock, event: Event, **fact) -> None:
    today = clock.today()

    def work(uow):
        case = cases.get_or_start(uow.session, clock, event.journey_id)
        if fact.get("accepted"):
            case.accepted = True
            case.earliest_surgery_date = event.payload.get("earliest_surgery_date")
            case.amputation_side = event.payload.get("amputation_side")
        if fact.get("deposit_paid"):
            case.deposit_paid = True
        case.updated_at = clock.now()
        if lifecycle.ready_to_schedule(case.status, case.accepted, case.deposit_paid):
            planning.schedule_or_block(uow, case, settings, clock, today, SurgeryScheduled)

    booking.retrying(uow, work)


def schedule(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str, command: dict) -> dict:
    """A planner books a blocked case: on the date asked for, or the first valid one.

    A case blocked after a not-fit postponement was scheduled before and its patient is here:
    its new date is announced as a move (travel extends the stay) rather than a first booking.
    """
    _book(uow, settings, clock, journey_id, command, "schedule", SurgeryScheduled)
    return read_case(uow, settings, journey_id)


def reschedule(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str, command: dict) -> dict:
    """Move a scheduled surgery, with a reason; the new date obeys the same constraints."""
    _book(uow, settings, clock, journey_id, command, "reschedule", SurgeryRescheduled)
    return read_case(uow, settings, journey_id)


def cancel(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str, command: dict) -> dict:
    """Cancel the surgery (or the case before it was scheduled) and free its capacity."""
    with uow:
        case = cases.get(uow.session, journey_id)
        lifecycle.require("cancel", case.status)
        surgery_date = case.surgery_date
        booking.release(uow.session, case.journey_id)
        case.status = lifecycle.CANCELLED
        uow.emit(SurgeryCancelled, {"surgery_id": case.surgery_id, "reason_code": command["reason_code"],
                                    "surgery_date": surgery_date}, case.journey_id)
        cases.record_change(uow, clock, case, "cancelled", command["reason_code"])
    return read_case(uow, settings, journey_id)


def _book(uow, settings, clock, journey_id, command, action, contract) -> None:
    today = clock.today()

    def work(uow):
        case = cases.get(uow.session, journey_id)
        lifecycle.require(action, case.status)
        requested = command.get("surgery_date")
        if requested is not None and requested == case.surgery_date:
            raise Invalid("the surgery is already on that date", fields={"surgery_date": ["unchanged"]})
        # without a date, a move goes to the first valid date after the current one
        later = case.surgery_date + DAY if case.surgery_date and requested is None else None
        # a patient whose arrival day has passed is here: a move needs no travel lead
        case.in_country_since = lifecycle.in_country_since(case.in_country_since, case.arrival_by, today)
        try:
            plan = planning.book(uow, case, settings, today, requested=requested, not_before=later)
        except NoDateAvailable as blocked:
            raise Conflict(f"no surgery date fits until {blocked.searched_until}",
                           blocked_by=blocked.blocked_by) from None
        announced, reason_code = contract, command.get("reason_code")
        if contract is SurgeryScheduled and case.in_country_since is not None:
            announced, reason_code = SurgeryRescheduled, "not_fit_for_surgery"
        planning.announce(uow, clock, case, plan, announced, reason_code)

    booking.retrying(uow, work)
