"""Booking a surgery date: first available, or the one a planner asks for."""
import uuid
from datetime import date

from marshmallow import Schema

from services.surgery.domain import lifecycle
from services.surgery.domain.calendar import (
    NoDateAvailable,
    Patient,
    Plan,
    blocker,
    first_available,
    plan_for,
)
from services.surgery.handlers import booking, cases
from services.surgery.models import SurgeryCase
from services.surgery.settings import SurgerySettings
from shared.clock import ClinicClock
from shared.contracts.surgery import SurgeryRescheduled, SurgerySchedulingBlocked
from shared.errors import Invalid


def book(uow, case: SurgeryCase, settings: SurgerySettings, today: date, *,
         requested: date | None = None, not_before: date | None = None) -> Plan:
    """Free the case's current booking and claim a new one; raises NoDateAvailable or Invalid."""
    session = uow.session
    booking.release(session, case.journey_id)
    session.flush()
    rules = settings.rules
    booked = booking.taken(session, *booking.window(today, rules.horizon_days, rules.stay_max_days))
    calendar = settings.scheduling_calendar(today)
    patient = Patient(case.earliest_surgery_date, not_before, case.in_country_since)
    if requested is None:
        plan = first_available(calendar, rules, booked.load(), patient, today)
    else:
        reason = blocker(requested, calendar, rules, booked.load(), patient, today)
        if reason:
            raise Invalid(f"surgery is not possible on {requested}: {reason.replace('_', ' ')}",
                          fields={"surgery_date": [reason]}, blocked_by=reason)
        plan = plan_for(requested, rules, case.in_country_since)
    booking.claim(session, case.journey_id, plan, calendar, booked)
    return plan


def announce(uow, clock: ClinicClock, case: SurgeryCase, plan: Plan, contract: type[Schema],
             reason_code: str | None = None) -> None:
    """Make `plan` the case's plan and publish it (SurgeryScheduled or SurgeryRescheduled)."""
    case.surgery_id = case.surgery_id or str(uuid.uuid4())
    case.set_plan(plan)
    case.status, case.blocked_by = lifecycle.SCHEDULED, None
    payload = cases.plan_payload(case, plan)
    if reason_code:
        payload["reason_code"] = reason_code
    if contract is SurgeryRescheduled:
        payload["patient_in_country"] = case.in_country_since is not None
    uow.emit(contract, payload, case.journey_id)
    cases.record_change(uow, clock, case, contract.event_type.removeprefix("surgery_"), reason_code)


def block(uow, clock: ClinicClock, case: SurgeryCase, blocked: NoDateAvailable) -> None:
    """No date fits: free the slot, say which constraints blocked, wait for a planner."""
    booking.release(uow.session, case.journey_id)
    case.set_plan(None)
    case.status = lifecycle.BLOCKED
    case.blocked_by = ",".join(blocked.blocked_by)[:300]
    uow.emit(SurgerySchedulingBlocked, {"blocked_by": list(blocked.blocked_by),
                                        "searched_until": blocked.searched_until}, case.journey_id)
    cases.record_change(uow, clock, case, "blocked", case.blocked_by)


def schedule_or_block(uow, case: SurgeryCase, settings: SurgerySettings, clock: ClinicClock, today: date,
                      contract: type[Schema], reason_code: str | None = None,
                      not_before: date | None = None) -> None:
    """Book the first valid date and announce it, or record that none fits in the horizon."""
    try:
        plan = book(uow, case, settings, today, not_before=not_before)
    except NoDateAvailable as blocked:
        block(uow, clock, case, blocked)
        return
    announce(uow, clock, case, plan, contract, reason_code)
