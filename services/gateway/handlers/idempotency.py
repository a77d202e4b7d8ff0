"""Idempotency keys, with Stripe's semantics: a state-changing request sent again with the same
`Idempotency-Key` gets the first answer and has no second effect.

- The first request inserts its key as "running"; the primary key (key, caller, method, path)
  settles a race between two first requests.
- A repeat while the first runs (a double click, an eager retry) waits for its answer, up to
  IDEMPOTENCY wait_while_running_seconds, then gets a 409.
- A repeat with the same body gets the kept status and body; with another body, a 422.
- A 5xx answer is not kept: the key is released and the client can try again.
- Keys are kept IDEMPOTENCY keep_hours (24 by default), then purged; a key left "running" by a
  gateway that stopped is taken over after abandoned_after_seconds (the services' command log
  makes running its commands again safe).
"""
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import eventlet
from sqlalchemy import DateTime, bindparam, delete, select, text, update

from services.gateway.models import IdempotentRequest as Row
from shared.clock import aware, real_now
from shared.config import section
from shared.errors import Conflict, Invalid

RUNNING, DONE = "running", "done"
POLL_SECONDS = 0.05
PURGE_EVERY_SECONDS = 60.0
_last_purge = [0.0]   # per process: old keys go at most once a minute, on an insert

INSERT_RUNNING = text(
    "INSERT INTO idempotency_keys (key, principal, method, path, body_hash, state, created_at) "
    "VALUES (:key, :principal, :method, :path, :body_hash, 'running', :created_at) ON CONFLICT DO NOTHING"
).bindparams(bindparam("created_at", type_=DateTime(timezone=True)))


@dataclass(frozen=True)
class Policy:
    keep: timedelta
    wait_seconds: float
    abandoned: timedelta


def policy(config: dict) -> Policy:
    """The IDEMPOTENCY section of the config."""
    found = section(config, "IDEMPOTENCY", keep_hours=24, wait_while_running_seconds=10,
                    abandoned_after_seconds=120)
    return Policy(keep=timedelta(hours=float(found["keep_hours"])),
                  wait_seconds=float(found["wait_while_running_seconds"]),
                  abandoned=timedelta(seconds=float(found["abandoned_after_seconds"])))


@dataclass(frozen=True)
class Claim:
    """One use of a key: by whom, on what, with which body (its hash)."""
    key: str
    principal: str
    method: str
    path: str
    body_hash: str

    @property
    def command_id(self) -> str:
        """What the services record this request's commands under: the same for every repeat."""
        scope = "\n".join((self.principal, self.method, self.path, self.key))
        return "key:" + hashlib.sha256(scope.encode()).hexdigest()[:48]

    def matches(self):
        return (Row.key == self.key, Row.principal == self.principal, Row.method == self.method,
                Row.path == self.path)


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict = field(default_factory=dict)


def body_hash(secret: str, *parts: bytes) -> str:
    """What a repeat must send again to be the same request. Keyed with the server's secret: a body
    may hold a password (a new user's, a changed one), and a plain hash kept for a day is one that
    can be guessed at."""
    digest = hmac.new(secret.encode(), digestmod=hashlib.sha256)
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def once(uow, claim: Claim, rules: Policy, run: Callable[[], Answer]) -> tuple[Answer, bool]:
    """The answer to `claim`, running `run` only for the first request; (answer, replayed)."""
    kept = begin(uow, claim, rules)
    if kept is not None:
        return kept, True
    try:
        answer = run()
    except BaseException:
        release(uow, claim)
        raise
    if answer.status >= 500:
        release(uow, claim)
    else:
        finish(uow, claim, answer)
    return answer, False


def begin(uow, claim: Claim, rules: Policy) -> Answer | None:
    """None: this request holds the key and runs. Else the kept answer to replay.

    Conflict (409) if the first request is still running after the wait; Invalid (422) if the
    key was used with another body.
    """
    _purge_now_and_then(uow, rules)
    deadline = time.monotonic() + rules.wait_seconds
    while True:
        now = real_now()
        with uow:
            if uow.session.execute(INSERT_RUNNING, {**_pk(claim), "body_hash": claim.body_hash,
                                                    "created_at": now}).rowcount == 1:
                return None
            row = uow.session.execute(select(Row).where(*claim.matches())).scalar_one_or_none()
            if row is not None and aware(row.created_at) < now - rules.keep:   # expired, not yet purged
                uow.session.execute(delete(Row).where(*claim.matches(), Row.created_at < now - rules.keep))
                continue
        if row is None:
            continue   # released or purged meanwhile: try again
        if row.body_hash != claim.body_hash:
            raise Invalid("this Idempotency-Key was already used for another request (a different body); "
                          "send a new key for a new request")
        if row.state == DONE:
            return Answer(row.status, row.response_body or "", json.loads(row.response_headers or "{}"))
        if aware(row.created_at) < now - rules.abandoned and _take_over(uow, claim, now - rules.abandoned):
            return None
        if time.monotonic() >= deadline:
            raise Conflict("a request with this Idempotency-Key is still running; try again soon")
        eventlet.sleep(POLL_SECONDS)


def finish(uow, claim: Claim, answer: Answer) -> None:
    with uow:
        uow.session.execute(update(Row).where(*claim.matches(), Row.state == RUNNING).values(
            state=DONE, status=answer.status, response_body=answer.body,
            response_headers=json.dumps(answer.headers)))


def release(uow, claim: Claim) -> None:
    """Forget a key whose request failed (5xx, or a crash): the client may try again."""
    with uow:
        uow.session.execute(delete(Row).where(*claim.matches(), Row.state == RUNNING))


def _take_over(uow, claim: Claim, abandoned_before) -> bool:
    with uow:
        return uow.session.execute(update(Row).where(
            *claim.matches(), Row.state == RUNNING, Row.created_at < abandoned_before).values(
            created_at=real_now())).rowcount == 1


def _purge_now_and_then(uow, rules: Policy) -> None:
    if time.monotonic() - _last_purge[0] < PURGE_EVERY_SECONDS:
        return
    _last_purge[0] = time.monotonic()
    with uow:
        uow.session.execute(delete(Row).where(Row.created_at < real_now() - rules.keep))


def _pk(claim: Claim) -> dict:
    return {"key": claim.key, "principal": claim.principal, "method": claim.method, "path": claim.path}


def forget_answers_of(uow, journey_id: str) -> int:
    """An erasure or a purge: the kept answers of the journey's requests go at once, not after
    keep_hours (a kept answer can hold what the person wrote). Returns how many. The erasure request's
    own answer stays (its status, no personal data), so a second click on its form still gets it."""
    with uow:
        return uow.session.execute(delete(Row).where(
            Row.state == DONE, (Row.path.contains(journey_id)) | (Row.response_body.contains(journey_id)),
            ~Row.path.endswith("/erasure"))).rowcount
