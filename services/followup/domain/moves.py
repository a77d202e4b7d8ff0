"""A patient asks to move a check-up: only one still to come, with a reason the staff can act on."""
from datetime import date

from services.followup.domain.checkups import PLANNED
from shared.errors import Conflict

REASONS = ("not_available", "travelling", "unwell", "other")


def check_movable(status: str, due_on: date, today: date) -> None:
    """A check-up done, missed, cancelled or already past cannot be moved any more."""
    if status != PLANNED:
        raise Conflict(f"this check-up is {status}, so it cannot be moved")
    if due_on < today:
        raise Conflict("this check-up's date has passed, so it cannot be moved; please call the clinic")
