"""The sandbox provider's API and switches (in memory; the round trip over HTTP is an integration test)."""
import json

import pytest
import stripe
from werkzeug.test import Client

from sandboxes import base
from sandboxes.payment_provider.app import Sandbox


class Recorder:
    def __init__(self):
        self.sent = []

    def send(self, events, **switches):
        self.sent.append((events, switches))


@pytest.fixture
def box():
    app = Sandbox("http://gateway.invalid", "whsec_test")
    app.deliverer = Recorder()
    return app, Client(app)


def create(client, key="k1", amount=1000, metadata=None):
    return client.post("/v1/payment_intents", json={"amount": amount, "currency": "eur",
                                                    "metadata": metadata or {"invoice_id": "inv"}},
                       headers={"Idempotency-Key": key})


def test_the_same_idempotency_key_returns_the_same_payment_request(box):
    _, client = box
    first, again = create(client), create(client)
    assert first.status_code == again.status_code == 200
    assert first.json["id"] == again.json["id"]
    assert create(client, key="k2").json["id"] != first.json["id"]


def test_an_idempotency_key_reused_with_other_parameters_is_refused(box):
    _, client = box
    create(client)
    assert create(client, amount=2000).status_code == 400


def test_paying_in_two_instalments_sends_two_successes_carrying_the_invoice_reference(box):
    app, client = box
    intent = create(client, amount=1001).json
    client.post(f"/sandbox/payment_intents/{intent['id']}/pay", json={"instalments": 2, "duplicates": 3})
    events, switches = app.deliverer.sent[-1]
    assert [e["type"] for e in events] == ["payment_intent.succeeded"] * 2
    assert [e["data"]["object"]["amount_received"] for e in events] == [500, 501]
    assert {e["data"]["object"]["metadata"]["invoice_id"] for e in events} == {"inv"}
    assert switches["duplicates"] == 3


def test_a_refund_can_be_sent_ahead_of_its_payment(box):
    app, client = box
    intent = create(client).json
    client.post(f"/sandbox/payment_intents/{intent['id']}/pay", json={"refund_cents": 400, "reorder": True})
    events, switches = app.deliverer.sent[-1]
    assert [e["type"] for e in events] == ["payment_intent.succeeded", "charge.refunded"]
    assert events[1]["data"]["object"]["amount_refunded"] == 400
    assert switches["reorder"] is True


def test_a_refund_request_cannot_exceed_what_was_paid(box):
    _, client = box
    intent = create(client).json
    client.post(f"/sandbox/payment_intents/{intent['id']}/pay", json={})
    over = client.post("/v1/refunds", json={"payment_intent": intent["id"], "amount": 1001},
                       headers={"Idempotency-Key": "r1"})
    assert over.status_code == 400
    ok = client.post("/v1/refunds", json={"payment_intent": intent["id"], "amount": 1000},
                     headers={"Idempotency-Key": "r2"})
    assert ok.json["status"] == "succeeded"


def test_auto_pay_pays_every_new_request(box):
    app, client = box
    client.post("/sandbox/switches", json={"auto_pay": True})
    create(client)
    assert [e["type"] for e in app.deliverer.sent[-1][0]] == ["payment_intent.succeeded"]


def test_webhooks_are_signed_so_the_stripe_sdk_accepts_them(monkeypatch):
    posted = []
    monkeypatch.setattr(base.requests, "post",
                        lambda url, data, headers, timeout: posted.append((data, headers)) or
                        type("R", (), {"status_code": 200})())
    deliverer = Sandbox("http://gateway.invalid", "whsec_test").deliverer
    assert deliverer.url == "http://gateway.invalid/api/webhooks/payments"
    deliverer.run([{"id": "evt_1", "type": "t"}, {"id": "evt_2", "type": "t"}], duplicates=2)
    assert [json.loads(data)["id"] for data, _ in posted] == ["evt_1", "evt_1", "evt_2", "evt_2"]
    for data, headers in posted:
        assert stripe.WebhookSignature.verify_header(data, headers["Stripe-Signature"], "whsec_test", 300)


def test_a_switch_with_a_nonsense_amount_is_refused_not_crashed_on(box):
    _, client = box
    intent = create(client).json
    response = client.post(f"/sandbox/payment_intents/{intent['id']}/pay", json={"amount": "lots"})
    assert response.status_code == 400


def test_a_dispute_is_opened_with_an_evidence_deadline_then_closed_once(box):
    app, client = box
    intent = create(client).json
    client.post(f"/sandbox/payment_intents/{intent['id']}/pay", json={})
    opened = client.post(f"/sandbox/payment_intents/{intent['id']}/dispute",
                         json={"reason": "fraudulent", "evidence_days": 10})
    assert opened.status_code == 200, opened.json
    (created,), _ = app.deliverer.sent[-1]
    dispute = created["data"]["object"]
    assert (created["type"], dispute["amount"], dispute["payment_intent"]) == (
        "charge.dispute.created", 1000, intent["id"])
    assert dispute["evidence_details"]["due_by"] >= created["created"] + 10 * 86400 - 1
    closed = client.post(f"/sandbox/disputes/{dispute['id']}/close", json={"outcome": "lost"})
    assert closed.status_code == 200
    (event,), _ = app.deliverer.sent[-1]
    assert (event["type"], event["data"]["object"]["status"]) == ("charge.dispute.closed", "lost")
    assert client.post(f"/sandbox/disputes/{dispute['id']}/close", json={"outcome": "won"}).status_code == 400
    assert client.post("/sandbox/disputes/dp_nope/close", json={"outcome": "won"}).status_code == 400


def test_a_dispute_closes_only_as_won_lost_or_warning_closed(box):
    _, client = box
    intent = create(client).json
    client.post(f"/sandbox/payment_intents/{intent['id']}/pay", json={"dispute": "fraudulent"})
    (dispute_id,) = box[0].ledger.disputes
    assert client.post(f"/sandbox/disputes/{dispute_id}/close", json={"outcome": "maybe"}).status_code == 400
