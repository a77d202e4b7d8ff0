"""The requests waiting for the agency: claimed for sending, and the agency's replies recorded.

A request is claimed (leased) in one short transaction, sent by the sender
(adapters/sender.py) with no transaction open, and its reply recorded in
another. A booking's requests go out in order. A refusal or an unreachable
agency is retried with backoff; after the last attempt the request fails and
becomes a task for the desk: a compensation is never dropped.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from services.travel.domain.agency import ACCEPTED, FAILED_TASK, Reply, reply_without_order
from services.travel.domain.itinerary import PASSENGER_DETAILS_MISSING
from services.travel.domain.retries import RetryPolicy
from services.travel.handlers import bookings, records
from services.travel.handlers.bookings import PASSENGER_WAIT
from services.travel.models import AgencyRequest, Booking, DeskTask, Itinerary

LEASE = timedelta(seconds=60)   # a claimed request is not sent again by another worker before this


@dataclass(frozen=True)
class Claimed:
    id: int
    action: str
    key: str
    payload: dict
    order_id: str | None
    journey_id: str = ""

    @property
    def sendable(self) -> bool:
        """Only a booking can be sent for an order the agency never made."""
        return self.order_id is not None or self.action == "book"


def claim_due(uow, clock, limit: int) -> list[Claimed]:
    """Lease the requests that are due (the oldest pending one of each booking)."""
    earlier = aliased(AgencyRequest)
    blocked = exists().where(earlier.booking_id == AgencyRequest.booking_id,
                             earlier.id < AgencyRequest.id, earlier.status == "pending")
    with uow:
        now = clock.now()
        query = (select(AgencyRequest, Booking.order_id).join(Booking, Booking.id == AgencyRequest.booking_id)
                 .where(AgencyRequest.status == "pending", AgencyRequest.next_attempt_at <= now, ~blocked)
                 .order_by(AgencyRequest.id).limit(limit))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=AgencyRequest, skip_locked=True)
        claimed = []
        for row, order_id in uow.session.execute(query).all():
            row.next_attempt_at = now + LEASE
            claimed.append(Claimed(row.id, row.action, row.idempotency_key, row.payload, order_id,
                                   row.journey_id))
    return claimed


def record_reply(uow, clock, item: Claimed, reply: Reply | None, policy: RetryPolicy) -> None:
    """The agency's reply to a claimed request (None: it was not sent, there is no order)."""
    with uow:
        request = uow.session.get(AgencyRequest, item.id)
        booking = uow.session.get(Booking, request.booking_id)
        itinerary = records.locked(uow.session, booking.itinerary_id)
        uow.session.refresh(booking)
        if item.action == "book":   # its passenger was found: nothing is missing any more
            records.resolve_open(uow, clock, DeskTask.itinerary_id == itinerary.id,
                                 DeskTask.code == PASSENGER_DETAILS_MISSING)
        if reply is None:
            reply = reply_without_order(item.action)
            request.attempts = policy.attempts - 1
        request.attempts += 1
        request.last_error = reply.error
        if reply.outcome == ACCEPTED:
            request.status = "sent"
            _accepted(uow, clock, itinerary, booking, item.action, reply.body)
        elif request.attempts >= policy.attempts:
            request.status = "failed"
            _failed(uow, clock, itinerary, booking, item.action, reply, request.attempts)
        else:
            request.next_attempt_at = clock.now() + timedelta(seconds=policy.delay(request.attempts))
            records.history(uow, clock, itinerary, f"{item.action}_retry", booking.part,
                            attempt=request.attempts, outcome=reply.outcome)


def wait_for_passenger(uow, clock, item: Claimed, wait_seconds: float, missing: list[str]) -> None:
    """No passenger details to book with: a conflict for the desk (once), and the booking waits.

    It is tried again when enquiries announces the details recorded, or after `wait_seconds`;
    waiting spends none of the request's attempts.
    """
    with uow:
        request = uow.session.get(AgencyRequest, item.id)
        booking = uow.session.get(Booking, request.booking_id)
        itinerary = records.locked(uow.session, booking.itinerary_id)
        uow.session.refresh(booking)
        if booking.status in ("cancelling", "cancelled"):   # withdrawn before it was ever sent
            request.status, request.last_error = "failed", "withdrawn before its passenger was known"
            records.resolve_open(uow, clock, DeskTask.itinerary_id == itinerary.id,
                                 DeskTask.code == PASSENGER_DETAILS_MISSING)
            return
        request.next_attempt_at = clock.now() + timedelta(seconds=wait_seconds)
        request.last_error = PASSENGER_WAIT
        if itinerary.status == "active":
            records.open_task(uow, clock, itinerary, "conflict", PASSENGER_DETAILS_MISSING, missing=missing)


def passenger_recorded(uow, clock, journey_id: str) -> int:
    """The journey's passenger details were recorded: its waiting bookings are sent at once."""
    with uow:
        waiting = uow.session.scalars(select(AgencyRequest).where(
            AgencyRequest.journey_id == journey_id, AgencyRequest.action == "book",
            AgencyRequest.status == "pending", AgencyRequest.last_error == PASSENGER_WAIT)).all()
        for request in waiting:
            request.next_attempt_at = clock.now()
        return len(waiting)


def _accepted(uow, clock, itinerary: Itinerary, booking: Booking, action: str, body: dict) -> None:
    if action == "book":
        booking.order_id = booking.order_id or body.get("order_id")
        records.history(uow, clock, itinerary, "order_placed", booking.part, order_id=booking.order_id)
    elif action == "change":
        records.history(uow, clock, itinerary, "change_sent", booking.part)
    elif body.get("status") == "cancelled":   # otherwise the order.cancelled webhook will say
        bookings.mark_cancelled(uow, clock, itinerary, booking, int(body.get("fee_cents") or 0))


def _failed(uow, clock, itinerary: Itinerary, booking: Booking, action: str, reply: Reply,
            attempts: int) -> None:
    if action != "cancel":
        booking.status = "failed"
    records.open_task(uow, clock, itinerary, "task", FAILED_TASK[action], booking, reason=reply.outcome,
                      error=reply.error, attempts=attempts)
    bookings.settle(uow, clock, itinerary)
