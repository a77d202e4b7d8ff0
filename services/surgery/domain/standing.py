"""The payment standing a surgery rests on: the balance and disputes, as payments announced them.

Payments decides the money; surgery only reads its facts. The clinic's policy says whether an
unpaid balance blocks the surgery (recording the patient fit, performing it) or only warns.
"""
from dataclasses import dataclass
from datetime import date

from shared.errors import Conflict

WARN, BLOCK = "warn", "block"
POLICIES = (WARN, BLOCK)
BALANCE_UNPAID = "balance_unpaid"
PAYMENT_DISPUTED = "payment_disputed"


@dataclass(frozen=True)
class Standing:
    balance_paid: bool
    balance_cents: int | None = None      # still owed, once payments dated the balance
    balance_due: date | None = None
    open_disputes: int = 0


def _balance(standing: Standing) -> str:
    amount = f" of EUR {standing.balance_cents / 100:,.2f}" if standing.balance_cents else ""
    due = f" (due {standing.balance_due})" if standing.balance_due else ""
    return f"the balance{amount}{due}"


def warnings(standing: Standing, policy: str) -> list[dict]:
    """What staff should see before surgery: an unpaid balance, a disputed payment."""
    found = []
    if not standing.balance_paid:
        consequence = ("surgery waits until it is paid" if policy == BLOCK
                       else "the clinic's policy lets surgery go ahead")
        found.append({"code": BALANCE_UNPAID, "message": f"{_balance(standing)} is not paid; {consequence}"})
    if standing.open_disputes:
        found.append({"code": PAYMENT_DISPUTED, "message": "the surgery rests on a disputed payment; "
                                                           "finance is answering the dispute"})
    return found


def require_balance_paid(standing: Standing, policy: str, action: str) -> None:
    """Under the `block` policy an unpaid balance refuses `action` (409, nothing changes)."""
    if policy == BLOCK and not standing.balance_paid:
        raise Conflict(f"cannot {action}: {_balance(standing)} is not paid, and the clinic's policy "
                       f"is that surgery waits until it is", blocked_by=BALANCE_UNPAID)
