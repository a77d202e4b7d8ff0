"""When the balance falls due and when an unpaid one is overdue, without a broker or a database."""
from datetime import date

from services.payments.domain import balance


def test_the_balance_falls_due_a_set_number_of_days_before_surgery():
    assert balance.balance_due(date(2025, 6, 20), 14) == date(2025, 6, 6)


def test_an_unpaid_balance_is_overdue_from_the_day_after_its_due_date():
    due = date(2025, 6, 6)
    assert not balance.is_overdue(due, 2_250_000, date(2025, 6, 6))   # paying on the day is in time
    assert balance.is_overdue(due, 2_250_000, date(2025, 6, 7))
    assert balance.overdue_from(due) == date(2025, 6, 7)


def test_a_paid_undated_or_cancelled_balance_is_never_overdue():
    late = date(2025, 7, 1)
    assert not balance.is_overdue(date(2025, 6, 6), 0, late)
    assert not balance.is_overdue(None, 2_250_000, late)
    assert not balance.is_overdue(date(2025, 6, 6), 2_250_000, late, cancelled=True)
