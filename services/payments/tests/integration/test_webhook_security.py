"""Provider webhooks at the gateway: only correctly signed, fresh events are handed to payments,
held by the broker while payments is down, and stored and applied each once."""
import time
import uuid

import eventlet
import pytest
import requests

from services.payments import models
from services.payments.tests import factories
from services.payments.tests.integration.conftest import NEW_SECRET, OLD_SECRET
from shared.contracts.api.webhooks import PaymentWebhookReceived
from shared.handoff import handoff_id
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for


def post(stack, body: bytes, headers: dict) -> requests.Response:
    return requests.post(f"{stack.gateway}/api/webhooks/payments", data=body, headers=headers, timeout=30)


def stored(stack, event: dict) -> int:
    return stack.count(models.ProviderEvent, models.ProviderEvent.id == event["id"])


def test_a_correctly_signed_payment_is_stored_and_recorded(stack, journey_id):
    invoice = stack.accept(journey_id)
    event = factories.succeeded(invoice, 100_000)
    response = post(stack, *factories.signed(event, NEW_SECRET))
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True}
    wait_for(lambda: stack.invoice(journey_id).paid_cents == 100_000)
    assert stored(stack, event) == 1


def test_an_event_signed_with_the_previous_secret_is_accepted_during_a_rotation(stack, journey_id):
    invoice = stack.accept(journey_id)
    event = factories.succeeded(invoice, 5_000)
    assert post(stack, *factories.signed(event, OLD_SECRET)).status_code == 200
    wait_for(lambda: stored(stack, event) == 1)


def _changed_body(event):
    body, headers = factories.signed(event, NEW_SECRET)
    return body.replace(b'"amount_received": 1000', b'"amount_received": 9000'), headers


def _wrong_secret(event):
    return factories.signed(event, "whsec_someone_else")


def _missing_header(event):
    body, headers = factories.signed(event, NEW_SECRET)
    del headers["Stripe-Signature"]
    return body, headers


def _stale(event):
    return factories.signed(event, NEW_SECRET, timestamp=int(time.time()) - 301)


def _malformed(event):
    body, headers = factories.signed(event, NEW_SECRET)
    return body, dict(headers, **{"Stripe-Signature": "v1=deadbeef,t=yesterday"})


def _no_signature_scheme(event):
    body, headers = factories.signed(event, NEW_SECRET)
    return body, dict(headers, **{"Stripe-Signature": headers["Stripe-Signature"].replace("v1=", "v0=")})


@pytest.mark.parametrize("tamper", [_changed_body, _wrong_secret, _missing_header, _stale, _malformed,
                                    _no_signature_scheme])
def test_a_webhook_that_fails_verification_is_refused_and_nothing_is_stored(stack, journey_id, tamper):
    invoice = stack.accept(journey_id)
    event = factories.succeeded(invoice, 1000)
    handed_over = EventTap(stack.amqp_uri, "gateway")
    try:
        response = post(stack, *tamper(event))
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_signature"   # one verifier, one answer, both providers
        assert handed_over.types() == []   # nothing reached payments' queue
    finally:
        handed_over.close()
    assert stored(stack, event) == 0
    assert stack.count(models.ProviderEvent, models.ProviderEvent.journey_id == journey_id) == 0


def test_the_same_event_delivered_100_times_at_once_records_one_payment(stack, journey_id):
    invoice = stack.accept(journey_id)
    event = factories.succeeded(invoice, invoice.deposit_cents)
    body, headers = factories.signed(event, NEW_SECRET)
    pool = eventlet.GreenPool(100)
    responses = list(pool.imap(lambda _: post(stack, body, headers), range(100)))
    assert [r.status_code for r in responses] == [200] * 100
    wait_for(lambda: stack.invoice(journey_id).deposit_paid_at is not None)
    assert stack.count(models.Payment, models.Payment.invoice_id == invoice.id) == 1
    assert stack.invoice(journey_id).paid_cents == invoice.deposit_cents
    assert stack.emitted(journey_id, "deposit_paid") == 1


def test_an_event_type_the_ledger_does_not_use_is_acknowledged_and_not_stored(stack):
    event = {"id": "evt_customer_1", "object": "event", "type": "customer.created", "created": 1,
             "data": {"object": {"id": "cus_1"}}}
    response = post(stack, *factories.signed(event, NEW_SECRET))
    assert response.json() == {"received": True}
    wait_for(lambda: stack.handled(handoff_id(PaymentWebhookReceived.event_type, event["id"])))
    assert stored(stack, event) == 0


def test_webhooks_accepted_while_payments_is_down_are_applied_each_once_when_it_is_back(stack):
    journeys = [str(uuid.uuid4()) for _ in range(3)]
    events = [factories.succeeded(stack.accept(journey), 2_500) for journey in journeys]
    with stack.payments_stopped():
        for event in events:
            for _ in range(2):   # the provider delivers each twice
                response = post(stack, *factories.signed(event, NEW_SECRET))
                assert (response.status_code, response.json()) == (200, {"received": True})
        assert sum(stored(stack, event) for event in events) == 0   # held by the broker, not yet stored
    for journey in journeys:
        wait_for(lambda journey=journey: stack.invoice(journey).paid_cents == 2_500)
    for event in events:
        assert stored(stack, event) == 1
    for journey in journeys:
        invoice = stack.invoice(journey)
        assert stack.count(models.Payment, models.Payment.invoice_id == invoice.id) == 1
