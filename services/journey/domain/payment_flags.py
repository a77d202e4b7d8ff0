"""What the board shows of a journey's money: a payment under dispute, and the balance's due date.

A dispute holds the payment until payments announces it closed (won or lost). The
balance's date comes with `balance_due_dated` (again when surgery moves); once the
invoice is paid in full nothing is due. An unpaid balance past its date is overdue,
judged on the clinic's calendar when the board is read, until payments keeps that
deadline itself: once a `balance_overdue` fact has come for the journey, only such
facts say so (domain/deadlines.py; a re-dated balance's timer fires again).
"""
from collections.abc import Callable
from datetime import date, timedelta

from services.journey.domain.facts import Fact
from services.journey.domain.record import Record

BALANCE_OVERDUE = "balance_overdue"


def _disputed(r: Record, f: Fact, p: dict) -> None:
    r.disputes.setdefault(p["dispute_id"], dict(p, at=f.occurred_at))


def _dispute_closed(r: Record, f: Fact, p: dict) -> None:
    r.disputes[p["dispute_id"]] = dict(r.disputes.get(p["dispute_id"], {}), **p, closed=True)


def _balance_dated(r: Record, f: Fact, p: dict) -> None:
    r.invoice = dict(r.invoice or {}, balance_due=p["balance_due"])


def _balance_deadline_kept(r: Record, f: Fact, p: dict) -> None:
    r.invoice = dict(r.invoice or {}, balance_deadline_kept=True)


APPLY: dict[str, Callable[[Record, Fact, dict], None]] = {
    "payment_disputed": _disputed, "payment_dispute_closed": _dispute_closed,
    "balance_due_dated": _balance_dated, "balance_overdue": _balance_deadline_kept,
}


def disputed(r: Record) -> bool:
    """A payment of the journey is disputed and the bank has not decided yet."""
    return any(not d.get("closed") for d in r.disputes.values())


def balance_due(r: Record) -> date | None:
    """When the unpaid balance is due, for the board to judge (None once paid in full, never dated,
    or when payments keeps the deadline as a fact)."""
    if r.paid_in_full or r.cancelled or not r.invoice or r.invoice.get("balance_deadline_kept"):
        return None
    return r.invoice.get("balance_due")


def balance_overdue_since(due: date | None, today: date) -> date | None:
    """The day an unpaid balance became overdue (the day after its due date), if it has."""
    if due is None or today <= due:
        return None
    return due + timedelta(days=1)
