"""When the balance (the price less the deposit) falls due, and when an unpaid one is overdue.

The timers' `balance_overdue` fact and finance's attention list use the same rule.
"""
from datetime import date, timedelta


def balance_due(surgery_date: date, days_before: int) -> date:
    """The balance falls due a set number of days before surgery."""
    return surgery_date - timedelta(days=days_before)


def overdue_from(due: date) -> date:
    """The first day a balance still unpaid is overdue: paying on the due date is in time."""
    return due + timedelta(days=1)


def is_overdue(due: date | None, balance_cents: int, today: date, *, cancelled: bool = False) -> bool:
    """Something is still owed, and its due date has passed (a cancelled invoice is owed nothing more)."""
    return due is not None and not cancelled and balance_cents > 0 and today >= overdue_from(due)
