"""What a hosted checkout asks for the deposit and the balance, and the checkout webhooks read."""
from datetime import date
from types import SimpleNamespace

import pytest

from services.payments.domain import checkout as rules
from services.payments.domain import provider_events as webhooks
from services.payments.domain.ledger import SUCCEEDED, Charge, Ledger
from services.payments.tests import factories

INVOICE = SimpleNamespace(id="6f1c7a52-3c1e-4f7e-9a59-3f0f6a1d2b11",
                          journey_id="0b8f0d2e-8a53-4f0e-9f0e-1d3c5b7a9e21")


def invoiced(**changes) -> rules.Invoiced:
    values = {"total_cents": 4_500_000, "deposit_cents": 2_250_000, "deposit_due": date(2026, 12, 16),
              "balance_due": None, "deposit_paid": False, "invoice_paid": False, "cancelled": False}
    return rules.Invoiced(**{**values, **changes})


def paid(*amounts: int) -> Ledger:
    return Ledger(4_500_000, 2_250_000, tuple(Charge(f"pi_{i}", status=SUCCEEDED, amount_cents=cents)
                                              for i, cents in enumerate(amounts)))


def test_the_deposit_is_asked_first_and_the_balance_waits_for_it():
    deposit, balance = rules.parts(paid(), invoiced())
    assert (deposit.outstanding_cents, deposit.payable, deposit.due) == (2_250_000, True, date(2026, 12, 16))
    assert (balance.amount_cents, balance.payable) == (2_250_000, False)
    assert "deposit first" in balance.not_payable_because


def test_a_deposit_partly_paid_by_bank_transfer_asks_only_what_is_left():
    assert rules.payable_cents(paid(1_000_000), invoiced(), rules.DEPOSIT) == 1_250_000


def test_once_the_deposit_is_paid_the_balance_asks_what_is_still_owed():
    ledger = paid(2_250_000, 250_000)
    assert rules.payable_cents(ledger, invoiced(deposit_paid=True), rules.BALANCE) == 2_000_000
    with pytest.raises(ValueError, match="The deposit is paid"):
        rules.payable_cents(ledger, invoiced(deposit_paid=True), rules.DEPOSIT)


def test_nothing_is_payable_on_a_cancelled_invoice_or_while_the_bank_reviews_a_payment():
    with pytest.raises(ValueError, match="cancelled"):
        rules.payable_cents(paid(), invoiced(cancelled=True), rules.DEPOSIT)
    held = Ledger(4_500_000, 2_250_000, (Charge("pi_1", status=SUCCEEDED, amount_cents=100),), held_cents=100)
    with pytest.raises(ValueError, match="bank is reviewing"):
        rules.payable_cents(held, invoiced(), rules.DEPOSIT)


def test_an_open_session_is_reused_only_while_it_asks_exactly_what_is_outstanding():
    assert rules.reusable(rules.OPEN, 2_250_000, 2_250_000)
    assert not rules.reusable(rules.OPEN, 2_250_000, 1_250_000)
    assert not rules.reusable(rules.EXPIRED, 2_250_000, 2_250_000)


def test_a_completed_checkout_states_its_session_its_payment_intent_and_whether_it_is_paid():
    fact = webhooks.read(factories.checkout_completed(INVOICE, 2_250_000, "pi_abc", session="cs_test_9"))
    assert (fact.type, fact.object_id) == (webhooks.CHECKOUT_COMPLETED, "cs_test_9")
    assert fact.payment_ref == "pi_abc"
    assert (fact.amount_cents, fact.status, fact.invoice_id) == (2_250_000, "paid", INVOICE.id)
    assert "example.org" not in repr(fact)
    unpaid = webhooks.read(factories.checkout_completed(INVOICE, 2_250_000, None, payment_status="unpaid"))
    assert (unpaid.payment_ref, unpaid.status) == (None, "unpaid")
