"""Disputed payments: held until the bank decides, gone when lost, without a broker or a database."""
from datetime import UTC, datetime

from services.payments.domain import disputes
from services.payments.domain import ledger as domain
from services.payments.domain.disputes import Dispute
from services.payments.domain.ledger import Charge, Ledger

DUE = datetime(2026, 12, 20, tzinfo=UTC)
DEPOSIT = (Charge("pi_deposit", status=domain.SUCCEEDED, amount_cents=500),)


def test_a_disputed_deposit_puts_the_invoice_on_hold_and_announces_no_deposit():
    held = Ledger(1000, 500, DEPOSIT, held_cents=500)
    assert domain.status_of(held) == "disputed"
    assert domain.milestones(held, set()) == []
    assert held.balance_cents == 500   # the money is still counted while the bank decides


def test_a_lost_dispute_takes_the_money_from_the_ledger_and_a_won_one_leaves_it():
    lost = Ledger(1000, 500, DEPOSIT, lost_cents=500)
    assert (lost.net_paid_cents, lost.balance_cents, domain.status_of(lost)) == (0, 1000, "awaiting_deposit")
    won = Ledger(1000, 500, DEPOSIT)
    assert (won.net_paid_cents, domain.status_of(won)) == (500, "awaiting_balance")


def test_the_first_outcome_read_is_final_and_a_late_creation_does_not_reopen_it():
    lost = disputes.closed(None, "dp_1", 500, "lost", DUE)
    assert disputes.opened(lost, "dp_1", 500, DUE) == lost
    assert disputes.closed(lost, "dp_1", 500, "won") == lost
    assert lost == Dispute("dp_1", 500, disputes.LOST, DUE)


def test_an_inquiry_closed_without_a_chargeback_keeps_the_money():
    assert disputes.outcome_of("warning_closed") == disputes.WON
    assert disputes.outcome_of("won") == disputes.WON
    assert disputes.outcome_of("lost") == disputes.LOST


def test_held_and_lost_money_add_up_per_status():
    found = (Dispute("a", 300), Dispute("b", 200, disputes.LOST), Dispute("c", 100, disputes.WON))
    assert (disputes.held_cents(found), disputes.lost_cents(found)) == (300, 200)


def test_a_refund_is_never_sent_on_a_payment_disputed_and_not_won_its_share_is_left_to_finance():
    found = (Dispute("a", 300, payment_ref="pi_open"),
             Dispute("b", 200, disputes.LOST, payment_ref="pi_lost"),
             Dispute("c", 100, disputes.WON, payment_ref="pi_won"))
    assert disputes.not_refundable(found) == {"pi_open", "pi_lost"}
    charges = [Charge(ref, status=domain.SUCCEEDED, amount_cents=300) for ref in ("pi_won", "pi_open")]
    refundable = [c for c in charges if c.reference not in disputes.not_refundable(found)]
    assert domain.allocate_refund(500, refundable) == [("pi_won", 300), (None, 200)]
