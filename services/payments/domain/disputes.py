"""Disputes (chargebacks): a disputed payment's money is on hold until the bank decides.

Stripe closes a dispute as `won`, `lost`, or `warning_closed` (an inquiry that never
became a chargeback); only `lost` takes the money. Facts merge in any order: a
dispute already closed stays closed when its creation is delivered late, and a
repeat changes nothing.
"""
from dataclasses import dataclass, replace
from datetime import datetime

OPEN, WON, LOST = "open", "won", "lost"


@dataclass(frozen=True)
class Dispute:
    dispute_id: str
    amount_cents: int
    status: str = OPEN
    evidence_due_by: datetime | None = None
    payment_ref: str | None = None   # the payment intent disputed


def outcome_of(provider_status: str | None) -> str:
    """The clinic's outcome of a closed dispute: the money is gone only when it was lost."""
    return LOST if provider_status == LOST else WON


def opened(current: Dispute | None, dispute_id: str, amount_cents: int,
           evidence_due_by: datetime | None) -> Dispute:
    """The dispute after its creation was read (a late creation keeps a known outcome)."""
    if current is None:
        return Dispute(dispute_id, amount_cents, OPEN, evidence_due_by)
    return replace(current, evidence_due_by=current.evidence_due_by or evidence_due_by)


def closed(current: Dispute | None, dispute_id: str, amount_cents: int, provider_status: str | None,
           evidence_due_by: datetime | None = None) -> Dispute:
    """The dispute after its closing was read; the first outcome read is final."""
    if current is not None and current.status != OPEN:
        return current
    base = current or Dispute(dispute_id, amount_cents, OPEN, evidence_due_by)
    return replace(base, status=outcome_of(provider_status))


def not_refundable(disputes: tuple[Dispute, ...]) -> frozenset[str]:
    """Payments the provider will not refund: disputed and not won (a lost one was taken back already).

    A refund's share on them is left to finance (a manual part), never sent.
    """
    return frozenset(d.payment_ref for d in disputes if d.status != WON and d.payment_ref)


def held_cents(disputes: tuple[Dispute, ...]) -> int:
    """Money still disputed: counted as paid, but no milestone rests on it."""
    return sum(d.amount_cents for d in disputes if d.status == OPEN)


def lost_cents(disputes: tuple[Dispute, ...]) -> int:
    """Money the bank took back: gone from the ledger."""
    return sum(d.amount_cents for d in disputes if d.status == LOST)
