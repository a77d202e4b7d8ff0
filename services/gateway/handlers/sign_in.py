"""Signing in with a password, for the API and the sign-in page alike.

An unknown username and a wrong password take the same time and get the same
answer; failures are counted per username (known or not) in the database, so
the growing wait holds across pages, API and gateway instances.
"""
import math
from datetime import datetime

from sqlalchemy import select

from services.gateway.domain import throttle
from services.gateway.domain.credentials import issue_token, verify_password
from services.gateway.models import SignInFailures, StaffUser
from shared.clock import aware, real_now
from shared.errors import TooManyRequests, Unauthorized

WRONG = "wrong username or password"


def sign_in(uow, auth: dict, username: str, password: str) -> dict:
    """A token for the user, or Unauthorized (wrong) / TooManyRequests (wait, with how long)."""
    now = real_now()
    with uow:
        failures = uow.session.get(SignInFailures, username, with_for_update=True)
        wait = throttle.seconds_left(aware(failures.locked_until) if failures else None, now)
        if wait:
            raise TooManyRequests("too many failed sign-ins for this account; try again later",
                                  retry_after_seconds=math.ceil(wait))
        user = uow.session.scalar(select(StaffUser).where(StaffUser.username == username))
        valid = verify_password(user.password_hash if user else None, password)
        if not (valid and user.active):
            _count_failure(uow.session, failures, username, now)
        elif failures is not None:
            uow.session.delete(failures)
    if not (valid and user.active):
        raise Unauthorized(WRONG)
    ttl = int(auth["token_ttl_seconds"])
    token = issue_token(auth["token_secret"], f"staff:{user.id}", user.role, ttl, version=user.token_version)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "role": user.role}


def _count_failure(session, failures, username: str, now: datetime) -> None:
    if failures is None:
        failures = SignInFailures(username=username, failures=0, last_failure_at=now)
        session.add(failures)
    failures.failures += 1
    failures.last_failure_at = now
    wait = throttle.wait_after(failures.failures)
    failures.locked_until = now + wait if wait else None

