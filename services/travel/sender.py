"""Sends the recorded agency requests, outside any transaction, and records the replies.

A request is claimed (leased) in one short transaction, sent over HTTP with
no transaction open, and its reply recorded in another. A booking's requests
go out in order. A refusal or an unreachable agency is retried with backoff;
after the last attempt the request fails and becomes a task for the desk:
a compensation is never dropped.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from services.travel import bookings, domain, records
from services.travel.agency import ACCEPTED, REFUSED, Reply
from services.travel.models import AgencyRequest, Booking, Itinerary

LEASE = timedelta(seconds=60)   # a claimed request is not sent again by another worker before this
FAILED_TASK = {"book": "booking_failed", "change": "change_failed", "cancel": "cancellation_failed"}


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_delay: float = 5.0
    factor: float = 3.0
    max_delay: float = 600.0

    @classmethod
    def from_config(cls, config: dict) -> "RetryPolicy":
        retry = (config.get("TRAVEL") or {}).get("compensation_retry") or {}
        return cls(int(retry.get("attempts", 5)), float(retry.get("first_delay_seconds", 5)),
                   float(retry.get("backoff_factor", 3)), float(retry.get("max_delay_seconds", 600)))


@dataclass(frozen=True)
class Claimed:
    id: int
    action: str
    key: str
    payload: dict
    order_id: str | None


def send_due(uow, api, policy: RetryPolicy, limit: int = 20) -> int:
    """Send the requests that are due; returns how many were tried."""
    claimed = _claim(uow, limit)
    for item in claimed:
        if item.order_id is None and item.action != "book":
            reply = None   # the agency never made this order: nothing to send
        else:
            reply = api.send(item.action, item.order_id, item.key, item.payload)
        with uow:
            _record(uow, item, reply, policy)
    return len(claimed)


def _claim(uow, limit: int) -> list[Claimed]:
    earlier = aliased(AgencyRequest)
    blocked = exists().where(earlier.booking_id == AgencyRequest.booking_id,
                             earlier.id < AgencyRequest.id, earlier.status == "pending")
    with uow:
        now = records.now()
        query = (select(AgencyRequest, Booking.order_id).join(Booking, Booking.id == AgencyRequest.booking_id)
                 .where(AgencyRequest.status == "pending", AgencyRequest.next_attempt_at <= now, ~blocked)
                 .order_by(AgencyRequest.id).limit(limit))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=AgencyRequest, skip_locked=True)
        claimed = []
        for row, order_id in uow.session.execute(query).all():
            row.next_attempt_at = now + LEASE
            claimed.append(Claimed(row.id, row.action, row.idempotency_key, row.payload, order_id))
    return claimed


def _record(uow, item: Claimed, reply: Reply | None, policy: RetryPolicy) -> None:
    request = uow.session.get(AgencyRequest, item.id)
    booking = uow.session.get(Booking, request.booking_id)
    itinerary = records.locked(uow.session, booking.itinerary_id)
    uow.session.refresh(booking)
    if reply is None:   # an order that never existed: cancelled as is, changed never
        reply = (Reply(ACCEPTED, {"status": "cancelled", "fee_cents": 0}) if item.action == "cancel"
                 else Reply(REFUSED, error="no order at the agency"))
        request.attempts = policy.attempts - 1
    request.attempts += 1
    request.last_error = reply.error
    if reply.outcome == ACCEPTED:
        request.status = "sent"
        _accepted(uow, itinerary, booking, item.action, reply.body)
    elif request.attempts >= policy.attempts:
        request.status = "failed"
        _failed(uow, itinerary, booking, item.action, reply, request.attempts)
    else:
        delay = domain.retry_delay(request.attempts, policy.first_delay, policy.factor, policy.max_delay)
        request.next_attempt_at = records.now() + timedelta(seconds=delay)
        records.history(uow, itinerary, f"{item.action}_retry", booking.part, attempt=request.attempts,
                        outcome=reply.outcome)


def _accepted(uow, itinerary: Itinerary, booking: Booking, action: str, body: dict) -> None:
    if action == "book":
        booking.order_id = booking.order_id or body.get("order_id")
        records.history(uow, itinerary, "order_placed", booking.part, order_id=booking.order_id)
    elif action == "change":
        records.history(uow, itinerary, "change_sent", booking.part)
    elif body.get("status") == "cancelled":   # otherwise the order.cancelled webhook will say
        bookings.mark_cancelled(uow, itinerary, booking, int(body.get("fee_cents") or 0))


def _failed(uow, itinerary: Itinerary, booking: Booking, action: str, reply: Reply, attempts: int) -> None:
    if action != "cancel":
        booking.status = "failed"
    records.open_task(uow, itinerary, "task", FAILED_TASK[action], booking, reason=reply.outcome,
                      error=reply.error, attempts=attempts)
    bookings.settle(uow, itinerary)
