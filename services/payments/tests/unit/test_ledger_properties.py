"""Property: however instalments, refunds, failures and duplicates arrive, the sums hold.

Integer cents only: balance == price - payments + refunds, and each milestone is announced once.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from services.payments.domain import ledger as domain
from services.payments.domain.ledger import Charge, Ledger

PRICE, DEPOSIT = 4_500_000, 2_250_000


@st.composite
def deliveries(draw):
    """A random set of instalments with their refunds and failures, delivered shuffled and repeated."""
    amounts = draw(st.lists(st.integers(min_value=1, max_value=PRICE), min_size=1, max_size=6))
    facts = []
    for n, amount in enumerate(amounts):
        ref = f"pi_{n}"
        facts.append(("succeeded", ref, amount, 0))
        if draw(st.booleans()):
            facts.append(("failed", ref, amount, 0))
        totals = sorted(draw(st.lists(st.integers(min_value=1, max_value=amount), max_size=3)))
        facts += [("refunded", ref, amount, total) for total in totals]
    repeated = facts + draw(st.lists(st.sampled_from(facts), max_size=len(facts)))
    return amounts, facts, draw(st.permutations(repeated))


def apply(charges: dict, fact) -> None:
    kind, ref, amount, refunded = fact
    charge = charges.get(ref, Charge(ref))
    if kind == "succeeded":
        charges[ref] = domain.succeed(charge, amount)
    elif kind == "failed":
        charges[ref] = domain.fail(charge, "card_declined")
    else:
        charges[ref] = domain.refund(charge, amount, refunded)


@settings(max_examples=300, deadline=None)
@given(deliveries())
def test_the_balance_is_the_price_less_payments_plus_refunds_in_any_order(case):
    amounts, facts, order = case
    charges, announced, announcements = {}, set(), []
    for fact in order:
        apply(charges, fact)
        ledger = Ledger(PRICE, DEPOSIT, tuple(charges.values()))
        reached = domain.milestones(ledger, announced)
        announced.update(reached)
        announcements += reached
    refunds = sum(max([f[3] for f in facts if f[0] == "refunded" and f[1] == ref] or [0])
                  for ref in charges)
    ledger = Ledger(PRICE, DEPOSIT, tuple(charges.values()))
    assert ledger.paid_cents == sum(amounts)
    assert ledger.refunded_cents == refunds
    assert ledger.balance_cents == PRICE - sum(amounts) + refunds
    assert all(isinstance(c.amount_cents, int) and c.status == domain.SUCCEEDED for c in charges.values())
    assert announcements.count(domain.DEPOSIT_PAID) <= 1
    assert announcements.count(domain.INVOICE_PAID) <= 1
    if ledger.net_paid_cents >= DEPOSIT:
        assert domain.DEPOSIT_PAID in announced
    assert ledger.refund_due_cents == max(0, -ledger.balance_cents)
