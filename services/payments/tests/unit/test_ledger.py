"""The money rules, without a broker or a database."""
from services.payments.domain import ledger as domain
from services.payments.domain.ledger import Charge, Ledger


def test_a_failure_delivered_after_the_success_does_not_undo_the_payment():
    paid = domain.succeed(Charge("pi_1"), 500)
    assert domain.fail(paid, "card_declined") == paid


def test_a_success_after_a_failure_is_a_payment():
    charge = domain.succeed(domain.fail(Charge("pi_1"), "card_declined"), 500)
    assert (charge.status, charge.amount_cents) == (domain.SUCCEEDED, 500)


def test_a_refund_arriving_before_its_payment_counts_the_payment_too():
    early = domain.refund(Charge("pi_1"), 1000, 400)
    late = domain.succeed(early, 1000)
    assert late == early == Charge("pi_1", status=domain.SUCCEEDED, amount_cents=1000, refunded_cents=400)


def test_an_older_partial_refund_delivered_late_does_not_lower_the_refunded_total():
    charge = domain.refund(domain.refund(Charge("pi_1"), 1000, 700), 1000, 300)
    assert charge.refunded_cents == 700


def test_the_deposit_and_the_full_payment_are_announced_once_each():
    ledger = Ledger(1000, 500, (Charge("a", status=domain.SUCCEEDED, amount_cents=1000),))
    assert domain.milestones(ledger, set()) == [domain.DEPOSIT_PAID, domain.INVOICE_PAID]
    assert domain.milestones(ledger, {domain.DEPOSIT_PAID, domain.INVOICE_PAID}) == []


def test_nothing_is_announced_for_a_cancelled_invoice():
    ledger = Ledger(0, 500, (Charge("a", status=domain.SUCCEEDED, amount_cents=1000),), cancelled=True)
    assert domain.milestones(ledger, set()) == []


def test_an_overpayment_is_flagged_for_a_refund_unless_one_is_already_on_its_way():
    charges = (Charge("a", status=domain.SUCCEEDED, amount_cents=1300),)
    assert Ledger(1000, 500, charges).refund_due_cents == 300
    assert Ledger(1000, 500, charges, refunds_requested_cents=300).refund_due_cents == 0


def test_a_refund_is_taken_from_the_newest_provider_payments_and_the_rest_is_manual():
    charges = [Charge("pi_old", status=domain.SUCCEEDED, amount_cents=300),
               Charge("bank", source=domain.BANK_TRANSFER, status=domain.SUCCEEDED, amount_cents=500),
               Charge("pi_new", status=domain.SUCCEEDED, amount_cents=400, refunded_cents=100)]
    assert domain.allocate_refund(800, charges) == [("pi_new", 300), ("pi_old", 300), (None, 200)]


def test_the_status_says_what_the_invoice_waits_for():
    failed = Charge("a", status=domain.FAILED, failure_code="card_declined")
    half = Charge("b", status=domain.SUCCEEDED, amount_cents=500)
    assert domain.status_of(Ledger(1000, 500)) == "awaiting_deposit"
    assert domain.status_of(Ledger(1000, 500, (failed,))) == "payment_failed"
    assert domain.status_of(Ledger(1000, 500, (failed, half))) == "awaiting_balance"
    assert domain.status_of(Ledger(500, 500, (half,))) == "paid"
    assert domain.status_of(Ledger(0, 500, (half,), cancelled=True)) == "cancelled"
