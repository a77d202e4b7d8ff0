"""Staff use cases on the schedule: schedule a blocked case, reschedule, cancel."""
from services.surgery import booking, cases, domain, planning
from services.surgery.scheduling import DAY, NoDateAvailable
from services.surgery.settings import SurgerySettings
from shared.errors import Conflict, Invalid


def schedule(uow, settings: SurgerySettings, journey_id: str, command: dict) -> None:
    """A planner books a blocked case: on the date asked for, or the first valid one."""
    _book(uow, settings, journey_id, command, "schedule", "surgery_scheduled")


def reschedule(uow, settings: SurgerySettings, journey_id: str, command: dict) -> None:
    """Move a scheduled surgery, with a reason; the new date obeys the same constraints."""
    _book(uow, settings, journey_id, command, "reschedule", "surgery_rescheduled")


def cancel(uow, journey_id: str, command: dict) -> None:
    """Cancel the surgery (or the case before it was scheduled) and free its capacity."""
    with uow:
        case = cases.get(uow.session, journey_id)
        domain.require("cancel", case.status)
        surgery_date = case.surgery_date
        booking.release(uow.session, case.journey_id)
        case.status = domain.CANCELLED
        uow.emit("surgery_cancelled", {"surgery_id": case.surgery_id, "reason_code": command["reason_code"],
                                       "surgery_date": surgery_date.isoformat() if surgery_date else None},
                 case.journey_id)
        cases.record_change(uow, case, "cancelled", command["reason_code"])


def _book(uow, settings, journey_id, command, action, event_type) -> None:
    today = settings.today()

    def work(uow):
        case = cases.get(uow.session, journey_id)
        domain.require(action, case.status)
        requested = command.get("surgery_date")
        if requested is not None and requested == case.surgery_date:
            raise Invalid("the surgery is already on that date", fields={"surgery_date": ["unchanged"]})
        # without a date, a move goes to the first valid date after the current one
        later = case.surgery_date + DAY if case.surgery_date and requested is None else None
        try:
            plan = planning.book(uow, case, settings, today, requested=requested, not_before=later)
        except NoDateAvailable as blocked:
            raise Conflict(f"no surgery date fits until {blocked.searched_until}",
                           blocked_by=blocked.blocked_by) from None
        planning.announce(uow, case, plan, event_type, command.get("reason_code"))

    booking.retrying(uow, work)
