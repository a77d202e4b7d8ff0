"""The gateway's signature check (one verifier for both providers, the stripe SDK's HMAC check):
rotation, tolerance in both directions, and what counts as malformed."""
import json
import time

import pytest

from services.gateway.adapters.errors import MalformedRequest
from services.gateway.adapters.webhooks import verify_event
from shared.webhooks import sign, split_secrets

EVENT = {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded", "data": {"object": {}}}
SECRETS = ["whsec_new", "whsec_old"]


def signed(event, secret: str, timestamp: int | None = None):
    body = json.dumps(event).encode()
    return body, {"Stripe-Signature": sign(body, secret, timestamp)}


def verify(body: bytes, header: str | None, secrets, tolerance: int) -> dict:
    """The payment webhook's check, as the gateway runs it with the PAYMENTS config section."""
    return verify_event(body, header, {"webhook_secrets": secrets, "webhook_tolerance_seconds": tolerance})


def webhook_secrets(config: dict) -> list[str]:
    return list(split_secrets((config.get("PAYMENTS") or {}).get("webhook_secrets")))


def test_a_body_signed_with_either_secret_of_a_rotation_is_accepted():
    for secret in SECRETS:
        body, headers = signed(EVENT, secret)
        assert verify(body, headers["Stripe-Signature"], SECRETS, 300) == EVENT


def test_the_secrets_come_comma_separated_from_config():
    assert split_secrets("whsec_a, whsec_b") == ("whsec_a", "whsec_b")


def test_a_signature_just_inside_the_tolerance_is_accepted_and_just_outside_refused():
    body, fresh = signed(EVENT, "whsec_new", timestamp=int(time.time()) - 290)
    assert verify(body, fresh["Stripe-Signature"], SECRETS, 300)
    body, stale = signed(EVENT, "whsec_new", timestamp=int(time.time()) - 310)
    with pytest.raises(MalformedRequest):
        verify(body, stale["Stripe-Signature"], SECRETS, 300)


@pytest.mark.parametrize("header", [None, "", "garbage", "t=abc,v1=00", "t=1,v1=", "v1=aa"])
def test_a_missing_or_malformed_header_is_refused(header):
    with pytest.raises(MalformedRequest):
        verify(json.dumps(EVENT).encode(), header, SECRETS, 300)


def test_a_body_that_is_not_utf8_is_refused_not_crashed_on():
    body, headers = signed(EVENT, "whsec_new")
    with pytest.raises(MalformedRequest):
        verify(b"\xff\xfe" + body, headers["Stripe-Signature"], SECRETS, 300)


def test_a_signed_body_that_is_not_a_json_object_is_refused():
    body, headers = signed([1, 2], "whsec_new")
    with pytest.raises(MalformedRequest):
        verify(body, headers["Stripe-Signature"], SECRETS, 300)


def test_a_signature_from_the_future_is_refused_like_a_stale_one():
    body, ahead = signed(EVENT, "whsec_new", timestamp=int(time.time()) + 600)
    with pytest.raises(MalformedRequest, match="tolerance"):
        verify(body, ahead["Stripe-Signature"], SECRETS, 300)


ODD_HEADERS = ["t=1700000000,v1=\u00e9\u00e9", "t=\u00b2,v1=" + "a" * 64, "t=" + "9" * 5000,
               "t=1700000000,v1=" + "z" * 64, "t=-5,v1=" + "a" * 64]


@pytest.mark.parametrize("header", ODD_HEADERS)
def test_a_header_with_odd_characters_or_numbers_is_refused_not_crashed_on(header):
    body, _ = signed(EVENT, "whsec_new")
    with pytest.raises(MalformedRequest):
        verify(body, header, SECRETS, 300)


def test_an_event_without_an_id_is_refused_even_if_signed():
    body, headers = signed({"type": "payment_intent.succeeded"}, "whsec_new")
    with pytest.raises(MalformedRequest, match="id"):
        verify(body, headers["Stripe-Signature"], SECRETS, 300)
