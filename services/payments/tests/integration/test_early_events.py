"""Provider events that arrive before their invoice: kept, counted once the invoice exists, and shown
to finance (with why) when they stay unmatched too long, until finance marks one handled."""
from datetime import datetime, timedelta
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


def unmatched(stack) -> dict:
    return {item["reference"]: item for item in stack.attention(kind="unmatched_provider_event")}


def set_back(stack, event: dict, hours: float = 2) -> None:
    """As if the event had arrived `hours` ago (the list waits PAYMENTS.unmatched_after_minutes, 60)."""
    with stack.store.session() as session:
        session.get(models.ProviderEvent, event["id"]).received_at -= timedelta(hours=hours)


def test_an_event_unmatched_for_longer_than_the_setting_is_on_finances_attention_list(stack, journey_id):
    old, recent = before_its_invoice(journey_id, 70_000), before_its_invoice(journey_id, 80_000)
    deliver(stack, old, recent)
    processed(stack, old, recent)
    set_back(stack, old)
    listed = unmatched(stack)
    assert recent["id"] not in listed
    item = listed[old["id"]]
    assert (item["provider_event_type"], item["amount_cents"], item["journey_id"]) == (
        "payment_intent.succeeded", 70_000, journey_id)
    assert item["reason"] == "No invoice has been issued for the journey its metadata names."
    assert datetime.fromisoformat(item["since"]).utcoffset() is not None
    stack.accept(journey_id)   # the invoice appears: both are counted and off the list
    wait_for(lambda: stack.invoice(journey_id).paid_cents == 150_000, message="early payments not counted")
    assert old["id"] not in unmatched(stack)


def handle(stack, event_id: str, note="Refunded at the provider's dashboard.", role="finance"):
    return requests.post(f"{stack.gateway}/api/payments/provider-events/{event_id}/handled",
                         json={"note": note}, headers=stack.staff(role), timeout=10)


def test_finance_marks_an_unmatched_event_handled_with_a_note_and_it_is_never_applied_later(
        stack, journey_id):
    stray = before_its_invoice(journey_id, 90_000)
    deliver(stack, stray)
    processed(stack, stray)
    set_back(stack, stray)
    assert stray["id"] in unmatched(stack)
    assert handle(stack, stray["id"], role="physiotherapist").status_code == 403
    assert handle(stack, stray["id"], note="").status_code == 422
    answer = handle(stack, stray["id"])
    assert answer.status_code == 200, answer.text
    assert (answer.json()["handled_by"], answer.json()["note"]) == (
        "staff:1", "Refunded at the provider's dashboard.")
    assert stray["id"] not in unmatched(stack)
    assert handle(stack, stray["id"]).status_code == 409   # already handled
    stack.accept(journey_id)   # its journey's invoice appears later: finance dealt with it, so it stays aside
    counted = before_its_invoice(journey_id, 10_000)
    deliver(stack, counted)
    processed(stack, counted)   # applied after the handled one would have been (received earlier)
    assert stack.invoice(journey_id).paid_cents == 10_000
    assert outcome(stack, stray) == "unmatched"


def test_only_an_unmatched_event_can_be_marked_handled(stack, journey_id):
    invoice = stack.accept(journey_id)
    matched = factories.succeeded(invoice, 10_000)
    deliver(stack, matched)
    processed(stack, matched)
    assert handle(stack, matched["id"]).status_code == 409
    assert handle(stack, "evt_never_sent").status_code == 404
