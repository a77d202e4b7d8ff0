"""Disputed payments through the real stack: on hold with finance and announced, then won (the money
stays) or lost (the money is gone from the ledger)."""
import time
from datetime import UTC, datetime

import requests

from services.payments.tests import factories
from services.payments.tests.integration.test_failed_refunds import paid_deposit
from services.payments.tests.integration.test_money_flow import deliver, processed, view_invoice
from shared.testing.infra import wait_for

DUE_BY = int(time.time()) + 10 * 86400


def test_a_disputed_deposit_is_on_hold_on_finances_list_until_the_bank_takes_the_money(stack, journey_id):
    """Through the sandbox provider: a paid deposit disputed, then lost."""
    invoice = paid_deposit(stack, journey_id)
    intent = view_invoice(stack, journey_id).json()["payments"][0]["reference"]
    opened = requests.post(f"{stack.sandbox}/sandbox/payment_intents/{intent}/dispute",
                           json={"reason": "fraudulent", "evidence_days": 10, "duplicates": 2}, timeout=10)
    assert opened.status_code == 200, opened.text
    (item,) = wait_for(lambda: stack.attention(journey_id, "disputed"), message="the dispute is not listed")
    dispute = item["reference"]
    assert (item["invoice_id"], item["amount_cents"], dispute[:3]) == (invoice.id, 2_250_000, "dp_")
    deadline = datetime.fromisoformat(item["deadline"])
    assert deadline.utcoffset() is not None
    assert 9.9 * 86400 < (deadline - datetime.now(UTC)).total_seconds() <= 10 * 86400 + 5
    view = view_invoice(stack, journey_id).json()
    assert view["status"] == "disputed"
    assert [(d["status"], datetime.fromisoformat(d["evidence_due_by"])) for d in view["disputes"]] == [
        ("open", deadline)]
    assert [(p["dispute_id"], p["amount_cents"]) for p in stack.payloads(journey_id, "payment_disputed")] == [
        (dispute, 2_250_000)]

    closed = requests.post(f"{stack.sandbox}/sandbox/disputes/{dispute}/close", json={"outcome": "lost"},
                           timeout=10)
    assert closed.status_code == 200, closed.text
    wait_for(lambda: stack.payloads(journey_id, "payment_dispute_closed"), message="closing not announced")
    assert stack.payloads(journey_id, "payment_dispute_closed") == [
        {"invoice_id": invoice.id, "dispute_id": dispute, "outcome": "lost", "amount_cents": 2_250_000}]
    view = view_invoice(stack, journey_id).json()
    assert (view["status"], view["balance_cents"]) == ("awaiting_deposit", 4_500_000)
    assert view["invoice"]["dispute_lost_cents"] == 2_250_000
    assert stack.attention(journey_id, "disputed") == []
    assert stack.emitted(journey_id, "deposit_paid") == 1   # announced before the dispute, once


def test_a_won_dispute_keeps_the_money_and_its_creation_delivered_late_does_not_reopen_it(stack, journey_id):
    """Signed webhooks; Stripe's dispute carries no metadata: it reaches its invoice by the payment."""
    invoice = stack.accept(journey_id)
    payment = factories.succeeded(invoice, 2_250_000)
    intent = payment["data"]["object"]["id"]
    created = factories.disputed(None, intent, 2_250_000, due_by=DUE_BY)   # Stripe's dispute: no metadata
    deliver(stack, payment)
    processed(stack, payment)
    deliver(stack, created, created)
    processed(stack, created)
    assert view_invoice(stack, journey_id).json()["status"] == "disputed"
    won = factories.dispute_closed(None, intent, 2_250_000, "won", dispute_id=created["data"]["object"]["id"],
                                   due_by=DUE_BY)
    deliver(stack, won, created)   # the creation delivered again, late: the dispute stays won
    processed(stack, won)
    view = view_invoice(stack, journey_id).json()
    assert (view["status"], view["balance_cents"]) == ("awaiting_balance", 2_250_000)
    assert [d["status"] for d in view["disputes"]] == ["won"]
    assert [p["outcome"] for p in stack.payloads(journey_id, "payment_dispute_closed")] == ["won"]
    assert len(stack.payloads(journey_id, "payment_disputed")) == 1
    assert stack.attention(journey_id, "disputed") == []
    assert stack.emitted(journey_id, "deposit_paid") == 1


def test_a_deposit_disputed_before_it_was_counted_is_announced_only_once_the_dispute_is_won(
        stack, journey_id):
    invoice = stack.accept(journey_id)
    payment = factories.succeeded(invoice, 2_250_000)
    intent = payment["data"]["object"]["id"]
    created = factories.disputed(invoice, intent, 2_250_000, due_by=DUE_BY)
    deliver(stack, created, payment)   # out of order: the dispute first
    processed(stack, created, payment)
    assert stack.emitted(journey_id, "deposit_paid") == 0
    assert view_invoice(stack, journey_id).json()["status"] == "disputed"
    dispute_id = created["data"]["object"]["id"]
    deliver(stack, factories.dispute_closed(invoice, intent, 2_250_000, "won", dispute_id=dispute_id))
    wait_for(lambda: stack.emitted(journey_id, "deposit_paid") == 1, message="the deposit is not announced")


def test_a_cancellation_refunds_a_disputed_payment_by_hand_never_through_the_provider(stack, journey_id):
    invoice = stack.accept(journey_id)
    payment = factories.succeeded(invoice, 2_250_000)
    created = factories.disputed(invoice, payment["data"]["object"]["id"], 2_250_000, due_by=DUE_BY)
    deliver(stack, payment, created)
    processed(stack, payment, created)
    stack.publish("surgery", "surgery_cancelled", {"reason_code": "clinically_contraindicated"}, journey_id)
    (item,) = wait_for(lambda: stack.attention(journey_id, "manual_refund"), message="no manual refund")
    assert item["amount_cents"] == 2_250_000
    assert [i["kind"] for i in stack.attention(journey_id)] == ["disputed", "manual_refund"]  # deadline first
    calls = [stack.gate.refund_calls(outcome, journey_id) for outcome in ("passed", "refused")]
    assert calls == [0, 0]
