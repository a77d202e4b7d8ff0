"""A surgery case's lifecycle: what may happen in which state, and the clinical rules.

One case per journey. Reasons travel as codes (their vocabularies are the API contract,
shared/contracts/api/surgery.py); free text stays in this service.
"""
from datetime import date

from shared.errors import Conflict, Invalid

WAITING = "waiting"            # for acceptance and/or the deposit
BLOCKED = "blocked"            # both arrived, but no date fits within the horizon
SCHEDULED = "scheduled"
READY = "ready_for_surgery"    # the pre-op check found the patient fit
IN_WARD = "in_ward"
DISCHARGED = "discharged"
CANCELLED = "cancelled"
STATUSES = (WAITING, BLOCKED, SCHEDULED, READY, IN_WARD, DISCHARGED, CANCELLED)

# Which actions each state allows; anything else is an impossible order.
ALLOWED: dict[str, frozenset[str]] = {
    "schedule": frozenset({BLOCKED}),
    "reschedule": frozenset({SCHEDULED, READY}),
    "cancel": frozenset({WAITING, BLOCKED, SCHEDULED, READY}),
    "record the pre-op check of": frozenset({SCHEDULED}),
    "record the operation of": frozenset({READY}),
    "record a ward visit for": frozenset({IN_WARD}),
    "record the post-surgery image of": frozenset({IN_WARD, DISCHARGED}),
    "discharge": frozenset({IN_WARD}),
}


def require(action: str, status: str) -> None:
    """Refuse an action the case's state does not allow (409, nothing changes)."""
    if status not in ALLOWED[action]:
        raise Conflict(f"cannot {action} a surgery that is {status.replace('_', ' ')}",
                       status=status)


def ready_to_schedule(status: str, accepted: bool, deposit_paid: bool) -> bool:
    """The process manager schedules once, when both facts have arrived."""
    return status == WAITING and accepted and deposit_paid


def waiting_for(accepted: bool, deposit_paid: bool) -> list[str]:
    """The facts a waiting case still needs before it can be scheduled."""
    return [fact for fact, done in (("patient_accepted", accepted), ("deposit_paid", deposit_paid))
            if not done]


def check_operation_date(performed_on: date, preop_checked_on: date) -> None:
    """The operation comes on or after the (fit) pre-op check."""
    if performed_on < preop_checked_on:
        raise Invalid("the operation cannot come before the pre-op check",
                      fields={"performed_on": [f"must be on or after {preop_checked_on}"]})


def check_visit_date(visit_date: date, performed_on: date, max_ward_days: int) -> None:
    """A ward visit falls between the operation and the longest ward stay."""
    if not 0 <= (visit_date - performed_on).days <= max_ward_days:
        raise Invalid("a ward visit falls between the operation and the longest ward stay",
                      fields={"visit_date": [f"must be within {max_ward_days} days of {performed_on}"]})


def check_discharge(performed_on: date, discharged_on: date, min_days: int, max_days: int,
                    has_image: bool) -> None:
    """Discharge to the hotel after the planned ward stay, once the limb was imaged."""
    if not has_image:
        raise Conflict("record the post-surgery image before discharge")
    days = (discharged_on - performed_on).days
    if not min_days <= days <= max_days:
        raise Invalid(f"the ward stay must last {min_days} to {max_days} days",
                      fields={"discharged_on": [f"{days} days after the operation"]})


def check_sides(sides: list[str], amputation_side: str | None) -> None:
    """Only an amputated side is operated ("both": either or both); unknown: not checked."""
    allowed = {"both": {"left", "right"}}.get(amputation_side or "", {amputation_side})
    wrong = sorted(set(sides) - allowed) if amputation_side else []
    if wrong:
        raise Invalid(f"the amputation is on the {amputation_side} side, so the {wrong[0]} side "
                      f"cannot be operated", fields={"sides": [f"{amputation_side} only"]})


def in_country_since(known: date | None, arrival_by: date | None, today: date,
                     reported: bool = False) -> date | None:
    """Since when the patient is in the Netherlands: once they reported at the pre-op check, or
    once their planned arrival day has passed (the outbound flight is flown); else None."""
    if known is not None or arrival_by is None:
        return known
    return arrival_by if reported or today > arrival_by else None
