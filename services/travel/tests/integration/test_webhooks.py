"""Agency webhooks through the gateway: signed, stored once, acted on once."""
import json
import time
import uuid

import pytest
import requests

from services.travel import models
from services.travel.tests.integration.conftest import SANDBOX_SECRET
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for
from shared.webhooks import sign


def post_webhook(env, body: bytes, header: str) -> requests.Response:
    return requests.post(f"{env.gateway}/api/webhooks/travel", data=body, timeout=10,
                         headers={"Content-Type": "application/json", "Agency-Signature": header})


def agency_event(order: dict, event_type: str) -> bytes:
    return json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": event_type, "created": int(time.time()),
                       "data": dict(order, revision=order["revision"] + 5)}).encode()


def stored(env, body: bytes) -> int:
    return env.store_count(models.AgencyEvent, models.AgencyEvent.event_id == json.loads(body)["id"])


@pytest.mark.parametrize("case", ["tampered body", "wrong secret", "stale timestamp", "no signature"])
def test_a_webhook_not_signed_right_and_recently_is_refused_and_nothing_is_stored(env, case):
    body = agency_event({"order_id": "ord_x", "client_reference": "nobody", "revision": 1}, "order.cancelled")
    header = {"tampered body": sign(body.replace(b"ord_x", b"ord_y"), SANDBOX_SECRET),
              "wrong secret": sign(body, "not_our_secret"),
              "stale timestamp": sign(body, SANDBOX_SECRET, int(time.time()) - 301),
              "no signature": ""}[case]
    handed_over = EventTap(env.amqp_uri, "gateway")
    try:
        response = post_webhook(env, body, header)
        assert (response.status_code, response.json()["error"]) == (400, "invalid_signature")
        assert handed_over.types() == []   # nothing was handed to travel's queue
    finally:
        handed_over.close()
    assert stored(env, body) == 0


def test_a_webhook_signed_with_either_secret_of_a_rotation_is_stored(env):
    for secret in ("a_newer_secret", SANDBOX_SECRET):
        body = agency_event({"order_id": "ord_x", "client_reference": "nobody", "revision": 1},
                            "order.confirmed")
        assert post_webhook(env, body, sign(body, secret)).status_code == 200
        wait_for(lambda body=body: stored(env, body) == 1)   # handed over at once, stored just after


def test_a_webhook_delivered_twice_is_stored_and_acted_on_once(env):
    journey, _ = env.confirmed()
    hotel = next(o for o in env.orders(journey)["orders"] if o["part"] == "hotel_stay")
    body = agency_event(hotel, "order.cancelled")   # the hotel cancelled on its own
    first, second = (post_webhook(env, body, sign(body, SANDBOX_SECRET)) for _ in range(2))
    assert (first.json(), second.json()) == ({"received": True}, {"received": True})
    conflict = env.wait_event(journey, "travel_conflict_detected")["payload"]
    assert (conflict["conflict_code"], conflict["part"]) == ("hotel_nights_uncovered", "hotel_stay")
    view = wait_for(lambda: (v := env.itinerary(journey)) and not v["confirmed"] and v)
    assert [h["code"] for h in view["history"]].count("cancelled_by_agency") == 1
    assert len(view["conflicts"]) == 1 and stored(env, body) == 1


def test_travel_facts_read_from_an_agency_webhook_name_it_as_their_cause_and_the_agency_as_actor(env):
    journey, _ = env.confirmed()
    confirmed = env.events(journey, "itinerary_confirmed")[0]
    assert confirmed["causation_id"].startswith("webhook:")
    assert confirmed["actor"] == "agency:travel_agency"
    cause = env.store_count(models.AgencyEvent, models.AgencyEvent.event_id == confirmed["causation_id"][8:],
                            models.AgencyEvent.event_type == "order.confirmed")
    assert cause == 1
    requested = env.events(journey, "itinerary_requested")[0]   # caused by surgery's event, not a webhook
    assert not requested["causation_id"].startswith("webhook:") and requested["actor"] is None
    history = {entry["code"]: entry["actor"] for entry in env.itinerary(journey)["history"]}
    assert history["booking_confirmed"] == "agency:travel_agency"
    assert history["order_placed"] == "system"   # the sender's own work after a webhook keeps no agency


def test_the_timeline_shows_the_agency_webhook_as_the_cause_of_the_confirmed_itinerary(env):
    journey, _ = env.confirmed()
    cause = env.events(journey, "itinerary_confirmed")[0]["causation_id"]

    def entry():
        response = env.api("GET", f"/journeys/{journey}/timeline")
        found = [e for e in response.json().get("entries", []) if e["type"] == "itinerary_confirmed"]
        return found and found[0]
    shown = wait_for(entry, message="itinerary_confirmed never reached the timeline")
    assert (shown["caused_by"], shown["actor"]) == (cause, "agency:travel_agency")
