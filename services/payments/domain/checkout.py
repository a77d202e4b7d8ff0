"""Paying the deposit and the balance through the provider's hosted checkout: what each part asks now.

A part is payable while something of it is outstanding: the deposit until it is paid, the
balance once the deposit is (the deposit comes first, as surgery waits for it). An open
checkout session is reused only while it asks exactly what is outstanding; otherwise a new
one is made. Every "not now" explains itself in a sentence the patient can read.
"""
from dataclasses import dataclass
from datetime import date

from services.payments.domain.ledger import Ledger

DEPOSIT, BALANCE = "deposit", "balance"
PARTS = (DEPOSIT, BALANCE)
OPEN, COMPLETE, EXPIRED = "open", "complete", "expired"


@dataclass(frozen=True)
class Invoiced:
    """What the checkout rules read of an invoice besides its ledger."""
    total_cents: int
    deposit_cents: int
    deposit_due: date
    balance_due: date | None
    deposit_paid: bool      # deposit_paid was announced
    invoice_paid: bool      # invoice_paid was announced
    cancelled: bool


@dataclass(frozen=True)
class Part:
    """One part of the invoice as the patient sees it."""
    part: str
    amount_cents: int          # as invoiced
    outstanding_cents: int     # what a checkout for it asks now
    due: date | None           # None: the balance's date follows the surgery date
    paid: bool
    not_payable_because: str | None   # None: it can be paid now

    @property
    def payable(self) -> bool:
        return self.not_payable_because is None


def parts(ledger: Ledger, invoiced: Invoiced) -> list[Part]:
    """The deposit and the balance: amounts, due dates, and whether each can be paid now."""
    deposit_left = 0 if invoiced.deposit_paid else max(0, invoiced.deposit_cents - ledger.net_paid_cents)
    balance_left = 0 if invoiced.invoice_paid else max(0, ledger.balance_cents - deposit_left)
    found = [Part(DEPOSIT, invoiced.deposit_cents, deposit_left, invoiced.deposit_due,
                  invoiced.deposit_paid or deposit_left == 0, None),
             Part(BALANCE, invoiced.total_cents - invoiced.deposit_cents, balance_left, invoiced.balance_due,
                  invoiced.invoice_paid or balance_left == 0, None)]
    return [Part(p.part, p.amount_cents, p.outstanding_cents, p.due, p.paid, _why_not(p, ledger, invoiced))
            for p in found]


def payable_cents(ledger: Ledger, invoiced: Invoiced, part: str) -> int:
    """What a checkout for `part` asks now; ValueError with a sentence when it cannot be paid now."""
    found = next(p for p in parts(ledger, invoiced) if p.part == part)
    if not found.payable:
        raise ValueError(found.not_payable_because)
    return found.outstanding_cents


def reusable(status: str, amount_cents: int, outstanding_cents: int) -> bool:
    """An open session is reused while it asks exactly what is outstanding."""
    return status == OPEN and amount_cents == outstanding_cents


def _why_not(part: Part, ledger: Ledger, invoiced: Invoiced) -> str | None:
    if invoiced.cancelled:
        return "This invoice was cancelled; there is nothing more to pay."
    if part.paid:
        return f"The {part.part} is paid."
    if ledger.held_cents > 0:
        return ("Your bank is reviewing one of your payments; the clinic will contact you before "
                "anything more is paid.")
    if part.part == BALANCE and not invoiced.deposit_paid:
        return "Please pay the deposit first; the balance can be paid after it."
    return None
