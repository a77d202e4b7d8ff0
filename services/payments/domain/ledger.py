"""Money rules: what has been paid, milestones, refunds. Integer cents only, no I/O.

A provider may deliver events twice or out of order, so the state of a payment is
a merge of facts that gives the same answer in any order: a success is final, a
refund proves its charge was paid, refund totals only grow.
"""
from dataclasses import dataclass, replace

PROVIDER, BANK_TRANSFER = "provider", "bank_transfer"
PENDING, FAILED, SUCCEEDED = "pending", "failed", "succeeded"
DEPOSIT_PAID, INVOICE_PAID = "deposit_paid", "invoice_paid"


@dataclass(frozen=True)
class Charge:
    """One payment: a provider payment intent, or a bank transfer."""
    reference: str
    source: str = PROVIDER
    status: str = PENDING
    amount_cents: int = 0
    refunded_cents: int = 0
    failure_code: str | None = None


def succeed(charge: Charge, amount_cents: int) -> Charge:
    """A success is final: a failure delivered later does not undo it."""
    return replace(charge, status=SUCCEEDED, amount_cents=max(charge.amount_cents, amount_cents))


def fail(charge: Charge, code: str) -> Charge:
    if charge.status == SUCCEEDED:
        return charge  # a stale failure (an earlier attempt, delivered late)
    return replace(charge, status=FAILED, failure_code=code)


def refund(charge: Charge, charge_amount_cents: int, refunded_total_cents: int) -> Charge:
    """A refund proves its charge was paid; the provider's refunded total only grows."""
    paid = succeed(charge, charge_amount_cents)
    return replace(paid, refunded_cents=max(paid.refunded_cents, refunded_total_cents))


@dataclass(frozen=True)
class Ledger:
    """What is owed and what has been paid and refunded, for one invoice."""
    owed_cents: int                  # the price, or what the clinic keeps after a cancellation
    deposit_cents: int
    charges: tuple[Charge, ...] = ()
    refunds_requested_cents: int = 0
    cancelled: bool = False
    held_cents: int = 0              # under an open dispute: still counted, but no milestone rests on it
    lost_cents: int = 0              # taken back by the bank after a lost dispute

    @property
    def paid_cents(self) -> int:
        return sum(c.amount_cents for c in self.charges if c.status == SUCCEEDED)

    @property
    def refunded_cents(self) -> int:
        return sum(c.refunded_cents for c in self.charges)

    @property
    def net_paid_cents(self) -> int:
        return self.paid_cents - self.refunded_cents - self.lost_cents

    @property
    def undisputed_cents(self) -> int:
        """What is paid and not disputed: what a milestone may rest on."""
        return self.net_paid_cents - self.held_cents

    @property
    def balance_cents(self) -> int:
        """Still to pay; negative when more arrived than is owed."""
        return self.owed_cents - self.net_paid_cents

    @property
    def overpaid_cents(self) -> int:
        return max(0, -self.balance_cents)

    @property
    def refund_due_cents(self) -> int:
        """Overpayment not yet covered by a refund already on its way: flagged for finance."""
        in_flight = max(0, self.refunds_requested_cents - self.refunded_cents)
        return max(0, self.overpaid_cents - in_flight)


def milestones(ledger: Ledger, announced: set[str]) -> list[str]:
    """Milestones reached and not yet announced (each is announced once, ever).

    Disputed money reaches none: a deposit paid by a charge already disputed is not paid.
    """
    if ledger.cancelled:
        return []
    reached = []
    if ledger.undisputed_cents >= ledger.deposit_cents:
        reached.append(DEPOSIT_PAID)
    if ledger.owed_cents - ledger.undisputed_cents <= 0:
        reached.append(INVOICE_PAID)
    return [m for m in reached if m not in announced]


def status_of(ledger: Ledger) -> str:
    """What the invoice waits for, in one word for staff."""
    if ledger.cancelled:
        return "cancelled"
    if ledger.held_cents > 0:
        return "disputed"  # on hold until the bank decides
    if ledger.balance_cents <= 0:
        return "paid"
    if ledger.net_paid_cents >= ledger.deposit_cents:
        return "awaiting_balance"
    if any(c.status == FAILED for c in ledger.charges):
        return "payment_failed"
    return "awaiting_deposit"


def allocate_refund(amount_cents: int, charges: list[Charge]) -> list[tuple[str | None, int]]:
    """Split a refund over provider charges, newest first; what is left (bank transfers) is manual.

    Returns (payment reference, cents) pairs; reference None means a manual refund.
    """
    parts, left = [], amount_cents
    for charge in reversed(charges):
        refundable = charge.amount_cents - charge.refunded_cents
        if left <= 0 or charge.source != PROVIDER or charge.status != SUCCEEDED or refundable <= 0:
            continue
        take = min(left, refundable)
        parts.append((charge.reference, take))
        left -= take
    if left > 0:
        parts.append((None, left))
    return parts
