"""The one webhook signature check (`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`) of both providers."""
import time

import pytest

from shared.webhooks import InvalidSignature, sign, split_secrets, verify

BODY = b'{"id": "evt_1", "type": "order.confirmed", "data": {}}'
NOW = 1_800_000_000


def test_a_body_signed_with_the_current_secret_is_accepted():
    verify(BODY, sign(BODY, "new", NOW), ["new", "old"], 300, NOW)


def test_a_body_signed_with_the_previous_secret_is_accepted_during_a_rotation():
    verify(BODY, sign(BODY, "old", NOW), ["new", "old"], 300, NOW + 10)


def test_rotating_secrets_are_read_comma_separated_from_config():
    assert split_secrets(" new, old ,") == ("new", "old")
    verify(BODY, sign(BODY, "old", NOW), "new,old", 300, NOW)


@pytest.mark.parametrize("header, body, now", [
    (sign(BODY, "new", NOW), BODY.replace(b"evt_1", b"evt_2"), NOW),      # tampered body
    (sign(BODY, "wrong", NOW), BODY, NOW),                                # unknown secret
    (sign(BODY, "new", NOW - 301), BODY, NOW),                            # stale
    (sign(BODY, "new", NOW + 301), BODY, NOW),                            # from the future
    (None, BODY, NOW),                                                    # missing
    ("t=abc,v1=00", BODY, NOW),                                           # malformed
    (f"t={NOW}", BODY, NOW),                                              # no signature
])
def test_a_webhook_that_is_not_signed_right_and_recently_is_refused(header, body, now):
    with pytest.raises(InvalidSignature):
        verify(body, header, ["new"], 300, now)


def test_a_signature_is_made_with_the_current_time_by_default():
    header = sign(BODY, "new")
    verify(BODY, header, ["new"], 300, time.time())
