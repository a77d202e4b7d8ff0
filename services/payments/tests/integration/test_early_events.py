"""Provider events that arrive before their invoice: kept, counted once the invoice exists, and shown
to finance when they stay unmatched too long."""
from datetime import timedelta
from types import SimpleNamespace

import requests

from services.payments import models
from services.payments.tests import factories
from services.payments.tests.integration.test_money_flow import deliver, processed
from shared.testing.infra import wait_for


def before_its_invoice(journey_id: str, amount: int) -> dict:
    """A payment whose metadata names the journey, delivered while no invoice exists for it."""
    event = factories.succeeded(SimpleNamespace(id=None, journey_id=journey_id), amount)
    del event["data"]["object"]["metadata"]["invoice_id"]
    return event


def outcome(stack, event: dict) -> str | None:
    with stack.store.session() as session:
        return session.get(models.ProviderEvent, event["id"]).outcome


def attention(stack) -> dict:
    response = requests.get(f"{stack.gateway}/api/payments/attention", headers=stack.staff(), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_payment_delivered_before_its_invoice_is_counted_once_the_invoice_exists(stack, journey_id):
    early = before_its_invoice(journey_id, 2_250_000)
    deliver(stack, early, early)
    processed(stack, early)
    assert outcome(stack, early) == "unmatched"
    invoice = stack.accept(journey_id)
    wait_for(lambda: stack.invoice(journey_id).paid_cents == 2_250_000, message="early payment not counted")
    deliver(stack, early)   # the provider delivers it once more, now that the invoice exists
    assert stack.emitted(journey_id, "deposit_paid") == 1
    assert stack.count(models.Payment, models.Payment.invoice_id == invoice.id) == 1
    wait_for(lambda: stack.count(models.ProviderEvent, models.ProviderEvent.id == early["id"],
                                 models.ProviderEvent.processed_at.is_not(None)) == 1)
    assert outcome(stack, early) == "succeeded"
    assert stack.invoice(journey_id).paid_cents == 2_250_000


def test_facts_read_from_a_payment_webhook_name_it_as_their_cause(stack, journey_id):
    tap = stack.tap()
    try:
        invoice = stack.accept(journey_id)
        payment = factories.succeeded(invoice, 2_250_000)
        deliver(stack, payment)
        paid = wait_for(lambda: [e for e in tap.of_type("deposit_paid") if e["journey_id"] == journey_id],
                        message="no deposit_paid published")
    finally:
        tap.close()
    assert (paid[0]["causation_id"], paid[0]["actor"]) == (f"webhook:{payment['id']}", "provider:sandbox")


def test_an_event_unmatched_for_longer_than_the_setting_is_on_finances_attention_list(stack, journey_id):
    old, recent = before_its_invoice(journey_id, 70_000), before_its_invoice(journey_id, 80_000)
    deliver(stack, old, recent)
    processed(stack, old, recent)
    with stack.store.session() as session:   # the first one arrived two hours ago (the default is 60 min)
        row = session.get(models.ProviderEvent, old["id"])
        row.received_at -= timedelta(hours=2)
    listed = {row["provider_event_id"]: row for row in attention(stack)["unmatched_provider_events"]}
    assert recent["id"] not in listed
    row = listed[old["id"]]
    assert (row["type"], row["amount_cents"]) == ("payment_intent.succeeded", 70_000)
    assert 120 <= row["age_minutes"] < 130
    assert set(row) == {"provider_event_id", "type", "amount_cents", "received_at", "age_minutes"}
    stack.accept(journey_id)   # the invoice appears: both are counted and off the list
    wait_for(lambda: stack.invoice(journey_id).paid_cents == 150_000, message="early payments not counted")
    still = attention(stack)["unmatched_provider_events"]
    assert old["id"] not in {row["provider_event_id"] for row in still}
