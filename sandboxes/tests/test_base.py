"""The sandbox base: JSON routing and errors, signed webhooks with retries and delivery switches."""
import json
import time

import pytest
from werkzeug.routing import Map, Rule
from werkzeug.test import Client

from sandboxes import base
from shared.webhooks import verify


class Echo(base.JsonApp):
    rules = Map([Rule("/echo/<name>", methods=["POST"], endpoint="echo"),
                 Rule("/health", methods=["GET"], endpoint="health")])

    def echo(self, request, body, name):
        if name == "boom":
            raise KeyError(name)
        return 201, {"name": name, "body": body}


class Gateway:
    """Stands in for requests.post: answers with the scripted statuses, then 200."""

    def __init__(self, *statuses):
        self.statuses, self.posted = list(statuses), []

    def __call__(self, url, data, headers, timeout):
        self.posted.append((url, data, headers))
        status = self.statuses.pop(0) if self.statuses else 200
        if status is None:
            raise base.requests.ConnectionError("refused")
        return type("Answer", (), {"status_code": status})()

    def ids(self):
        return [json.loads(data)["id"] for _url, data, _headers in self.posted]


def events(*ids):
    return [{"id": i, "type": "thing.happened"} for i in ids]


@pytest.fixture
def gateway(monkeypatch):
    def install(*statuses):
        fake = Gateway(*statuses)
        monkeypatch.setattr(base.requests, "post", fake)
        return fake
    return install


def test_an_endpoint_answers_json_with_the_posted_object_and_its_status():
    answer = Client(Echo()).post("/echo/ann", json={"a": 1})
    assert answer.status_code == 201
    assert answer.json == {"name": "ann", "body": {"a": 1}}


def test_a_body_that_is_not_a_json_object_reads_as_empty():
    client = Client(Echo())
    assert client.post("/echo/ann", data="[1, 2]").json["body"] == {}
    assert client.post("/echo/ann", data="not json").json["body"] == {}


def test_an_unknown_path_or_method_is_answered_with_a_json_error():
    client = Client(Echo())
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").json["message"] == "Not Found"
    assert client.get("/echo/ann").status_code == 405


def test_an_unexpected_error_is_not_swallowed():
    with pytest.raises(KeyError):
        Client(Echo()).post("/echo/boom", json={})


def test_the_health_route_says_live():
    assert Client(Echo()).get("/health").json == {"status": "live"}


def test_webhooks_are_signed_so_the_gateway_verifier_accepts_them(gateway):
    posted = gateway()
    base.Deliverer("http://gw.invalid/hook", "whsec_x", "Agency-Signature").run(events("e1"))
    (url, data, headers), = posted.posted
    assert url == "http://gw.invalid/hook"
    verify(data, headers["Agency-Signature"], ["whsec_x"], 300)


def test_duplicates_repeat_each_event_and_reorder_reverses_the_batch(gateway):
    posted = gateway()
    base.Deliverer("http://gw.invalid/hook", "s", "Stripe-Signature").run(
        events("e1", "e2"), duplicates=2, reorder=True)
    assert posted.ids() == ["e2", "e2", "e1", "e1"]


def test_a_refused_or_unanswered_delivery_is_retried_until_the_gateway_accepts_it(gateway):
    posted = gateway(500, None, 204)
    deliverer = base.Deliverer("http://gw.invalid/hook", "s", "Stripe-Signature", backoff=0)
    assert deliverer.deliver(events("e1")[0]) == 204
    assert [(d["attempt"], d["status"]) for d in deliverer.deliveries] == [(1, 500), (2, None), (3, 204)]
    assert posted.ids() == ["e1"] * 3


def test_delivery_gives_up_after_the_last_attempt(gateway):
    gateway(500, 500, 500, 500)
    deliverer = base.Deliverer("http://gw.invalid/hook", "s", "Stripe-Signature", attempts=3, backoff=0)
    assert deliverer.deliver(events("e1")[0]) == 500
    assert len(deliverer.deliveries) == 3


def test_a_background_send_is_idle_once_delivered_after_its_delay(gateway):
    posted = gateway()
    deliverer = base.Deliverer("http://gw.invalid/hook", "s", "Stripe-Signature")
    deliverer.send(events("e1"), delay_seconds=0.2)
    assert not deliverer.idle()
    deadline = time.time() + 5
    while not deliverer.idle() and time.time() < deadline:
        time.sleep(0.02)
    assert deliverer.idle() and posted.ids() == ["e1"]


def test_a_queued_deliverer_swaps_published_events_in_pairs_when_reordering(gateway):
    posted = gateway()
    switches = {"reorder": True, "duplicates": 1, "delay_seconds": 0.0}
    deliverer = base.QueuedDeliverer("http://gw.invalid/hook", "s", "Agency-Signature", lambda: switches,
                                     hold_seconds=0.1)
    for event in events("e1", "e2", "e3"):
        deliverer.publish(event)
    deadline = time.time() + 5
    while not deliverer.idle() and time.time() < deadline:
        time.sleep(0.02)
    assert posted.ids() == ["e2", "e1", "e3"]


def test_the_command_line_has_host_port_gateway_and_secret():
    args = base.arguments("A sandbox.\n\nMore.", 8199).parse_args(["--gateway", "http://gw:8000"])
    assert (args.host, args.port, args.gateway, args.secret) == ("127.0.0.1", 8199, "http://gw:8000", None)
