"""Signing in with a password, for the API and the sign-in page alike.

An unknown username and a wrong password take the same time and get the same
answer; failures are counted per username (known or not) in the database, so
the growing wait holds across pages, API and gateway instances. Every attempt
is in the access log (who, if known, and how it ended; never the password).
"""
import math
from datetime import datetime

from sqlalchemy import select

from services.gateway.domain import throttle
from services.gateway.domain.credentials import Principal, issue_token, verify_password
from services.gateway.handlers import access_log
from services.gateway.models import SignInFailures, StaffUser
from shared.clock import aware, real_now
from shared.errors import TooManyRequests, Unauthorized

WRONG = "wrong username or password"
LOCKED = "too many failed sign-ins for this account; try again later"


def sign_in(uow, auth: dict, username: str, password: str, *, path: str = "sign-in") -> dict:
    """A token for the user, or Unauthorized (wrong) / TooManyRequests (wait, with how long).
    `path` is where the attempt came in, for the access log."""
    now = real_now()
    with uow:
        user = uow.session.scalar(select(StaffUser).where(StaffUser.username == username))
        wait = locked_for(uow.session, username, now)
        valid = not wait and verify_password(user.password_hash if user else None, password)
        allowed = valid and user.active
        if allowed:
            forget_failures(uow.session, username)
            answer = staff_token(auth, user.id, user.role, user.token_version, user.must_change_password)
        elif not wait:
            count_failure(uow.session, username, now)
        who = Principal(subject=f"staff:{user.id}", role=user.role) if user else None
    _log(uow, who, path, wait, valid, allowed)
    if wait:
        raise TooManyRequests(LOCKED, retry_after_seconds=math.ceil(wait))
    if not allowed:
        raise Unauthorized(WRONG)
    return answer


def staff_token(auth: dict, user_id: int, role: str, version: int, must_change_password: bool) -> dict:
    """A signed-in staff member's answer: a short-lived token under their current token version."""
    ttl = int(auth["token_ttl_seconds"])
    token = issue_token(auth["token_secret"], f"staff:{user_id}", role, ttl, version=version)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "role": role,
            "must_change_password": must_change_password}


def locked_for(session, username: str, now: datetime) -> float:
    """Seconds this username must still wait after failed sign-ins (its row locked till commit)."""
    failures = session.get(SignInFailures, username, with_for_update=True)
    return throttle.seconds_left(aware(failures.locked_until) if failures else None, now)


def count_failure(session, username: str, now: datetime) -> None:
    failures = session.get(SignInFailures, username, with_for_update=True)
    if failures is None:
        failures = SignInFailures(username=username, failures=0, last_failure_at=now)
        session.add(failures)
    failures.failures += 1
    failures.last_failure_at = now
    wait = throttle.wait_after(failures.failures)
    failures.locked_until = now + wait if wait else None


def forget_failures(session, username: str) -> None:
    failures = session.get(SignInFailures, username, with_for_update=True)
    if failures is not None:
        session.delete(failures)


def _log(uow, who: Principal | None, path: str, wait: float, valid: bool, allowed: bool) -> None:
    """The attempt in the access log: the account, if it exists, and the outcome; never what was typed."""
    if allowed:
        outcome, status, detail = "allowed", 200, "signed in"
    elif wait:
        outcome, status, detail = "denied", 429, "waiting after failed sign-ins"
    else:
        outcome, status = "denied", 401
        detail = "unknown username" if who is None else "account disabled" if valid else "wrong password"
    access_log.record(uow, principal=who, journey_id=None, action="sign_in", method="POST", path=path,
                      outcome=outcome, status=status, detail=detail)
