"""Tokens, the request log and the committed secret (security findings)."""
import logging
import time

import jwt
import pytest
from argon2 import PasswordHasher

from services.gateway.domain.credentials import (
    LINK,
    PATIENT_SESSION,
    STAFF,
    hash_password,
    issue_token,
    read_token,
    verify_password,
)
from services.gateway.domain.throttle import FREE_FAILURES, MAX_WAIT_SECONDS, wait_after
from services.gateway.settings import LOCAL_ONLY_SECRET, UnsafeSecret, check_secret, is_loopback
from shared.errors import Unauthorized
from shared.logs import RequestLogFilter

SECRET = "a-test-secret-long-enough-for-hs256-0123456789"


def test_a_staff_token_must_carry_its_user_version():
    unversioned = jwt.encode({"sub": "staff:1", "role": "finance", "exp": time.time() + 60, "jti": "x",
                              "typ": STAFF}, SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        read_token(SECRET, f"Bearer {unversioned}")
    versioned = issue_token(SECRET, "staff:1", "finance", 60, version=3)
    assert read_token(SECRET, f"Bearer {versioned}").version == 3


def test_a_patient_token_says_it_is_a_link_or_a_session_and_never_passes_as_staff():
    link = read_token(SECRET, "Bearer " + issue_token(SECRET, "patient:j", "patient", 60, journey_id="j",
                                                      kind=LINK, token_id="l1"))
    assert (link.kind, link.credential, link.is_staff) == (LINK, "l1", False)
    session = read_token(SECRET, "Bearer " + issue_token(SECRET, "patient:j", "patient", 60, journey_id="j",
                                                         kind=PATIENT_SESSION, token_id="l1"))
    assert session.kind == PATIENT_SESSION
    posing = issue_token(SECRET, "patient:j", "administrator", 60, journey_id="j", kind=LINK)
    with pytest.raises(Unauthorized):
        read_token(SECRET, f"Bearer {posing}")


def test_an_unknown_user_costs_the_same_password_check_as_a_known_one(monkeypatch):
    checked = []
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, hash_, password: checked.append(hash_)
                        or real(self, hash_, password))
    assert verify_password(None, "guess") is False
    assert verify_password(hash_password("a long enough password"), "guess") is False
    # An argon2 verification each time, at the same cost: no early return for the unknown name.
    assert len(checked) == 2 and checked[0].split("$")[3] == checked[1].split("$")[3]


def test_passwords_are_hashed_at_the_configured_argon2_cost():
    # conftest.py lowers the cost for the suite through the same settings an operator uses.
    assert hash_password("a long enough password").split("$")[3] == "m=1024,t=1,p=4"


def test_failed_sign_ins_past_the_free_ones_double_the_wait_up_to_a_ceiling():
    assert wait_after(FREE_FAILURES).total_seconds() == 0
    waits = [wait_after(FREE_FAILURES + n).total_seconds() for n in range(1, 5)]
    assert waits == [2, 4, 8, 16]
    assert wait_after(FREE_FAILURES + 40).total_seconds() == MAX_WAIT_SECONDS


def test_the_request_log_keeps_neither_query_strings_nor_client_addresses():
    record = logging.LogRecord("nameko.web.server", logging.INFO, "", 0, '%s - - [%s] "%s" %s %s %.6f',
                               ("203.0.113.9", "01/Dec/2026 10:00:00",
                                "GET /ui/patient?token=eyJ.abc HTTP/1.1", "303", "0", 0.01), None)
    RequestLogFilter().filter(record)
    line = record.getMessage()
    assert "eyJ" not in line and "203.0.113.9" not in line
    assert '"GET /ui/patient?… HTTP/1.1" 303' in line


def test_the_config_puts_the_request_log_filter_on_every_log_line():
    from shared.config import load_config
    logging_config = load_config()["LOGGING"]
    assert "request_log" in logging_config["handlers"]["console"]["filters"]


@pytest.mark.parametrize("address", ["0.0.0.0:8000", "10.0.0.5:8000", ":8000", "example.org:80"])
def test_the_committed_secret_is_refused_anywhere_but_loopback(address):
    with pytest.raises(UnsafeSecret):
        check_secret(LOCAL_ONLY_SECRET, address)
    check_secret("x" * 48, address)


@pytest.mark.parametrize("address", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.1.1:9"])
def test_a_local_run_on_loopback_may_use_the_committed_secret(address):
    assert is_loopback(address)
    check_secret(LOCAL_ONLY_SECRET, address)


def test_a_kept_request_body_is_hashed_with_the_server_secret_so_a_password_in_it_cannot_be_guessed_at():
    from hashlib import sha256

    from services.gateway.handlers.idempotency import body_hash
    body = b'{"password": "correct horse battery"}'
    assert body_hash("one secret", b"", body) != body_hash("another secret", b"", body)
    assert body_hash("one secret", b"", body) == body_hash("one secret", b"", body)
    unkeyed = sha256(sha256(b"").digest() + sha256(body).digest()).hexdigest()
    assert body_hash("one secret", b"", body) != unkeyed
