"""The whole money round trip over real HTTP: payments -> sandbox provider -> signed webhooks -> gateway."""
import requests
from sqlalchemy import select

from services.payments import models
from shared.testing.infra import wait_for


def requests_at_provider(stack, invoice_id) -> dict:
    with stack.store.session() as session:
        rows = session.scalars(select(models.PaymentRequest)
                               .where(models.PaymentRequest.invoice_id == invoice_id))
        return {row.kind: row.provider_ref for row in rows}


def test_a_journey_paid_in_instalments_and_refunded_through_the_sandbox(stack, journey_id):
    invoice = stack.accept(journey_id)
    refs = wait_for(lambda: (found := requests_at_provider(stack, invoice.id)) and len(found) == 2 and found)
    switches = {"instalments": 2, "duplicates": 3, "reorder": True, "delay_seconds": 0.1}
    paid = requests.post(f"{stack.sandbox}/sandbox/payment_intents/{refs['deposit']}/pay", json=switches,
                         timeout=10)
    assert paid.status_code == 200, paid.text
    wait_for(lambda: stack.invoice(journey_id).deposit_paid_at, message="deposit not paid")
    requests.post(f"{stack.sandbox}/sandbox/payment_intents/{refs['balance']}/pay", json={}, timeout=10)
    wait_for(lambda: stack.invoice(journey_id).paid_at, message="invoice not paid")
    assert stack.emitted(journey_id, "deposit_paid") == stack.emitted(journey_id, "invoice_paid") == 1

    stack.publish("surgery", "surgery_cancelled", {"reason_code": "clinically_contraindicated"}, journey_id)
    wait_for(lambda: stack.invoice(journey_id).refunded_cents == 4_500_000, message="refund not confirmed")
    final = stack.invoice(journey_id)
    assert (final.paid_cents, final.owed_cents, final.refund_due_cents) == (4_500_000, 0, 0)
    assert final.cancelled_at is not None
    assert stack.emitted(journey_id, "refund_requested") == 1
    assert stack.emitted(journey_id, "refund_issued") == 3  # one per charge: two instalments and the balance
    deliveries = requests.get(f"{stack.sandbox}/sandbox/deliveries", timeout=10).json()["deliveries"]
    assert all(d["status"] == 200 for d in deliveries)
