import time

import pytest

from services.gateway.routes.travel import InvalidSignature, verify_signature
from services.travel.sandbox import sign

BODY = b'{"id": "evt_1", "type": "order.confirmed", "data": {}}'
NOW = 1_800_000_000


def test_a_body_signed_with_the_current_secret_is_accepted():
    verify_signature(sign("new", BODY, NOW), BODY, ["new", "old"], 300, NOW)


def test_a_body_signed_with_the_previous_secret_is_accepted_during_a_rotation():
    verify_signature(sign("old", BODY, NOW), BODY, ["new", "old"], 300, NOW + 10)


@pytest.mark.parametrize("header, body, now", [
    (sign("new", BODY, NOW), BODY.replace(b"evt_1", b"evt_2"), NOW),      # tampered body
    (sign("wrong", BODY, NOW), BODY, NOW),                                # unknown secret
    (sign("new", BODY, NOW - 301), BODY, NOW),                            # stale
    (sign("new", BODY, NOW + 301), BODY, NOW),                            # from the future
    (None, BODY, NOW),
    ("t=abc,v1=00", BODY, NOW),
    (f"t={NOW}", BODY, NOW),
])
def test_a_webhook_that_is_not_signed_right_and_recently_is_refused(header, body, now):
    with pytest.raises(InvalidSignature):
        verify_signature(header, body, ["new"], 300, now)


def test_the_sandbox_signs_with_the_current_time_by_default():
    header = sign("new", BODY)
    verify_signature(header, BODY, ["new"], 300, time.time())
