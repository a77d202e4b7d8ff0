"""A refund the provider keeps refusing: retried, then on finance's attention list, never dropped;
finance retries it once the provider is back and it completes once."""
import requests
from sqlalchemy import select

from services.payments import models
from services.payments.tests.integration.conftest import REFUND_RETRY
from shared.testing.infra import wait_for

NO_SUCH_REFUND = "00000000-0000-4000-8000-000000000000"


def paid_deposit(stack, journey_id) -> models.Invoice:
    invoice = stack.accept(journey_id)
    ref = wait_for(lambda: _deposit_request(stack, invoice.id), message="no payment request at the provider")
    assert requests.post(f"{stack.sandbox}/sandbox/payment_intents/{ref}/pay", json={}, timeout=10).ok
    wait_for(lambda: stack.invoice(journey_id).deposit_paid_at, message="deposit not paid")
    return invoice


def _deposit_request(stack, invoice_id) -> str | None:
    with stack.store.session() as session:
        return session.scalar(select(models.PaymentRequest.provider_ref).where(
            models.PaymentRequest.invoice_id == invoice_id, models.PaymentRequest.kind == "deposit"))


def failed_refunds(stack, journey_id) -> list[dict]:
    return stack.attention(journey_id, "failed_refund")


def retry(stack, refund_id) -> requests.Response:
    return requests.post(f"{stack.gateway}/api/payments/refunds/{refund_id}/retry", headers=stack.staff(),
                         timeout=10)


def test_a_refund_the_provider_keeps_refusing_is_on_finances_list_and_a_retry_completes_it_once(
        stack, journey_id):
    paid_deposit(stack, journey_id)
    stack.gate.refunds_down = True
    try:
        stack.publish("surgery", "surgery_cancelled", {"reason_code": "clinically_contraindicated"},
                      journey_id)
        failed = wait_for(lambda: failed_refunds(stack, journey_id), message="the refund is not on the list")
    finally:
        stack.gate.refunds_down = False
    (row,) = failed
    assert row["amount_cents"] == 2_250_000
    assert f"refused it {REFUND_RETRY['attempts']} times" in row["reason"] and "503" in row["reason"]
    assert row["since"]
    assert stack.gate.refund_calls("refused", journey_id) == REFUND_RETRY["attempts"]
    dead = models.kernel.dead_letters
    assert stack.count(dead, dead.c.journey_id == journey_id) == 0
    assert stack.invoice(journey_id).refunded_cents == 0

    answer = retry(stack, row["reference"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["parts_to_send"] == 1
    wait_for(lambda: stack.invoice(journey_id).refunded_cents == 2_250_000, message="refund not confirmed")
    assert retry(stack, row["reference"]).status_code == 409   # nothing left to retry
    assert failed_refunds(stack, journey_id) == []
    assert stack.gate.refund_calls("passed", journey_id) == 1
    wait_for(lambda: stack.emitted(journey_id, "refund_issued") == 1)
    view = requests.get(f"{stack.gateway}/api/journeys/{journey_id}/invoice", headers=stack.staff(),
                        timeout=10).json()
    assert [(p["status"], p["attempts"]) for p in view["refunds"][0]["parts"]] == [("sent", 1)]


def test_a_refund_that_does_not_exist_cannot_be_retried(stack):
    assert retry(stack, NO_SUCH_REFUND).status_code == 404


def test_only_finance_may_retry_a_refund(stack):
    response = requests.post(f"{stack.gateway}/api/payments/refunds/{NO_SUCH_REFUND}/retry",
                             headers=stack.staff("physiotherapist"), timeout=10)
    assert response.status_code == 403
