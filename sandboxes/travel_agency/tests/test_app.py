"""The sandbox agency over its WSGI interface, its webhooks posted to a stand-in gateway."""
import json
import time

import pytest
from werkzeug.test import Client

from sandboxes import base
from sandboxes.travel_agency.app import SandboxAgency
from sandboxes.travel_agency.tests.test_orders import FLIGHT
from shared.webhooks import sign, verify

API_SECRET = "client_secret"


class Gateway:
    """Stands in for requests.post: every webhook is accepted and kept."""

    def __init__(self):
        self.posted = []

    def __call__(self, url, data, headers, timeout):
        self.posted.append((url, data, headers))
        return type("Answer", (), {"status_code": 200})()


@pytest.fixture
def agency(monkeypatch):
    gateway = Gateway()
    monkeypatch.setattr(base.requests, "post", gateway)
    app = SandboxAgency("http://gateway.invalid", "agency_secret", api_secrets=(API_SECRET,))
    return app, Client(app), gateway


def signed(client: Client, path: str, body: dict, key: str | None = "k1", secret: str = API_SECRET):
    raw = json.dumps(body).encode()
    headers = {"Agency-Signature": sign(raw, secret), "Content-Type": "application/json"}
    return client.post(path, data=raw, headers=headers | ({"Idempotency-Key": key} if key else {}))


def settled(app: SandboxAgency) -> None:
    deadline = time.time() + 5
    while not app.deliverer.idle() and time.time() < deadline:
        time.sleep(0.02)


def test_a_booking_is_confirmed_by_a_webhook_the_gateway_can_verify(agency):
    app, client, gateway = agency
    answer = signed(client, "/orders", FLIGHT)
    assert answer.status_code == 202
    settled(app)
    (url, body, headers), = gateway.posted
    assert url == "http://gateway.invalid/api/webhooks/travel"
    verify(body, headers["Agency-Signature"], ["agency_secret"], 300)
    event = json.loads(body)
    assert (event["type"], event["data"]["order_id"]) == ("order.confirmed", answer.json["order_id"])
    deliveries = client.get("/_sandbox/deliveries").json
    assert deliveries["deliveries"] == [{"id": event["id"], "type": "order.confirmed", "status": 200,
                                         "order_id": answer.json["order_id"]}]


def test_with_duplicates_switched_on_every_webhook_is_delivered_and_listed_twice(agency):
    app, client, gateway = agency
    assert client.post("/_sandbox/switches", json={"duplicates": True}).json["duplicates"] is True
    signed(client, "/orders", FLIGHT)
    settled(app)
    assert len(gateway.posted) == 2 and len(client.get("/_sandbox/deliveries").json["deliveries"]) == 2


def test_an_airline_schedule_change_of_an_unknown_order_or_a_bad_request_is_refused(agency):
    _, client, _ = agency
    unknown = client.post("/_sandbox/orders/ord_none/schedule-change", json={"days": 1})
    assert (unknown.status_code, unknown.json["error"]) == (422, "invalid_request")
    assert signed(client, "/orders", FLIGHT, key=None).status_code == 400       # no Idempotency-Key
    assert client.get("/nowhere").status_code == 404
    assert client.get("/health").json == {"status": "live"}


def test_an_unsigned_or_wrongly_signed_booking_is_refused_before_it_is_read(agency):
    app, client, _ = agency
    unsigned = client.post("/orders", json=FLIGHT, headers={"Idempotency-Key": "k1"})
    assert (unsigned.status_code, unsigned.json["error"]) == (401, "invalid_signature")
    wrong = signed(client, "/orders", FLIGHT, secret="someone_else")
    assert (wrong.status_code, wrong.json["error"]) == (401, "invalid_signature")
    assert app.order_book.orders == {}
