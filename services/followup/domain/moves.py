"""Moving a check-up: the patient asks, with a reason the staff can act on; the staff move it."""
from datetime import date

from services.followup.domain.checkups import PLANNED
from shared.errors import Conflict, Invalid

REASONS = ("not_available", "travelling", "unwell", "other")


def check_movable(status: str, due_on: date, today: date) -> None:
    """A check-up done, missed, cancelled or already past cannot be moved any more."""
    if status != PLANNED:
        raise Conflict(f"this check-up is {status}, so it cannot be moved")
    if due_on < today:
        raise Conflict("this check-up's date has passed, so it cannot be moved; please call the clinic")


def check_new_date(current: date, new: date, today: date) -> None:
    """A check-up moves to another day that is still to come."""
    if new < today:
        problem = "the new date has passed; choose today or a later day"
        raise Invalid(problem, fields={"due_on": [problem]})
    if new == current:
        problem = "the check-up is already on that day"
        raise Invalid(problem, fields={"due_on": [problem]})
