"""The price of a treatment package, its deposit and its due date. Integer cents only, no I/O.

When the balance falls due is domain/balance.py.
"""
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Quote:
    package: str
    total_cents: int
    deposit_cents: int
    deposit_due: date


def package_for(level: str, side: str) -> str:
    """The price-list key of a treatment: the amputation level, '_bilateral' for both sides."""
    return f"{level}_bilateral" if side == "both" else level


def deposit_of(total_cents: int, percent: int) -> int:
    """The deposit, rounded up to a whole cent so it is never less than the percentage."""
    return -(-total_cents * percent // 100)


def quote(price_list: dict[str, int], level: str, side: str, *, deposit_percent: int,
          issued_on: date, deposit_due_days: int) -> Quote:
    """The invoice of a treatment: its package's price (else the default), deposit and due date."""
    package = package_for(level, side)
    if package not in price_list:
        package = "default"
    total = int(price_list[package])
    return Quote(package, total, deposit_of(total, deposit_percent),
                 issued_on + timedelta(days=deposit_due_days))

