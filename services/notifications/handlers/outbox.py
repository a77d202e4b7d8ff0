"""The outbox of mails: recorded with the fact that causes them, claimed, sent, retried, parked.

A message is recorded in the event handler's own transaction (its id from the event and
template, so a repeat records nothing). The sender (adapters/sender.py) claims due messages in
one short transaction (a lease: no other worker sends them meanwhile), sends with no transaction
open, and records the outcome in another. A failed send waits for the kernel's retry schedule
(EVENT_RETRY), then is parked for an operator; it is never dropped.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifications.domain.messages import Outgoing, message_id
from services.notifications.models import PARKED, PENDING, SENT, SUPPRESSED, WITHDRAWN, Message
from shared.topology import RetrySchedule

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")   # a relay's error may quote the address
LEASE = timedelta(seconds=120)   # a claimed message is not sent by another worker before this


@dataclass(frozen=True)
class Claimed:
    id: str
    journey_id: str
    template: str
    facts: dict
    care_critical: bool
    attempt: int
    link: str | None


def record(uow, event, outgoing: Outgoing, now: datetime) -> bool:
    """Record one message for `event` (inside `with uow`); False if it was recorded before."""
    return record_for(uow, event.journey_id, event.event_id, event.type, outgoing, now)


def record_for(uow, journey_id: str, cause_id: str, cause_type: str, outgoing: Outgoing,
               now: datetime) -> bool:
    """Record one message caused by `cause_id` (an event, or a request such as a link renewal)."""
    values = {"id": message_id(cause_id, outgoing.template, outgoing.topic),
              "journey_id": journey_id, "template": outgoing.template, "event_id": cause_id,
              "event_type": cause_type, "facts": dict(outgoing.facts, link=outgoing.link),
              "care_critical": outgoing.care_critical, "status": PENDING, "attempts": 0,
              "next_attempt_at": now, "created_at": now}
    dialect = uow.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = uow.session.execute(insert(Message).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1


def sent_before(uow, journey_id: str, *templates: str) -> bool:
    found = uow.session.scalar(select(Message.id).where(Message.journey_id == journey_id,
                                                        Message.template.in_(templates)).limit(1))
    return found is not None


def claim_due(uow, now: datetime, limit: int) -> list[Claimed]:
    """Lease the oldest due messages."""
    with uow:
        query = (select(Message).where(Message.status == PENDING, Message.next_attempt_at <= now)
                 .order_by(Message.next_attempt_at, Message.created_at).limit(limit))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claimed = []
        for row in uow.session.scalars(query):
            row.next_attempt_at = now + LEASE
            row.attempts += 1
            facts = dict(row.facts)
            claimed.append(Claimed(row.id, row.journey_id, row.template, facts, row.care_critical,
                                   row.attempts, facts.pop("link", None)))
    return claimed


def mark_sent(uow, item: Claimed, now: datetime, language: str) -> bool:
    """Record the send; False if the message was withdrawn or erased while it went out."""
    with uow:
        row = uow.session.get(Message, item.id)
        if row is not None and row.status == PENDING:
            row.status, row.sent_at, row.language, row.last_error = SENT, now, language, None
            return True
        return False


def mark_skipped(uow, item: Claimed, status: str, reason: str) -> None:
    """Not sent, on purpose: the person was erased (withdrawn) or turned reminders off (suppressed)."""
    assert status in (WITHDRAWN, SUPPRESSED)
    with uow:
        row = uow.session.get(Message, item.id)
        if row is not None and row.status == PENDING:
            row.status, row.last_error = status, reason


def mark_failed(uow, item: Claimed, now: datetime, error: str, schedule: RetrySchedule) -> str:
    """A failed send: tried again after the schedule's next wait, parked once it is spent."""
    with uow:
        row = uow.session.get(Message, item.id)
        if row is None or row.status != PENDING:
            return row.status if row else WITHDRAWN
        row.last_error = ADDRESS.sub("<address>", error)[:2000]
        if row.attempts > schedule.steps:
            row.status = PARKED
        else:
            row.next_attempt_at = now + timedelta(seconds=schedule.delay(row.attempts - 1))
        return row.status


def parked(uow) -> list[dict]:
    """Messages an operator must look at (every retry failed): ids, template, error; no content."""
    with uow:
        query = select(Message).where(Message.status == PARKED).order_by(Message.created_at)
        rows = uow.session.scalars(query)
        return [{"id": r.id, "journey_id": r.journey_id, "template": r.template, "attempts": r.attempts,
                 "error": r.last_error} for r in rows]


def retry_parked(uow, message_id_: str, now: datetime) -> bool:
    """An operator sends a parked message again (after fixing the relay)."""
    with uow:
        row = uow.session.get(Message, message_id_)
        if row is None or row.status != PARKED:
            return False
        row.status, row.attempts, row.next_attempt_at = PENDING, 0, now
        return True
