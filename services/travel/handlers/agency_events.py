"""Agency webhooks: stored fast (once per event id), acted on afterwards from the store.

The gateway has verified the signature. Deliveries may repeat or arrive out
of order: a repeat is not stored twice, and an order's events carry a
revision, so an older one arriving late changes nothing. What acting on an
event changes names the webhook as its cause (`webhook:<agency event id>`,
as payments does for the provider's) and the agency as its actor.
"""
import json
import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.travel.domain import itinerary as domain
from services.travel.handlers import bookings, records
from services.travel.models import AgencyEvent, Booking, DeskTask, Itinerary
from shared.contracts.api.travel import PERSONAL

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
CONFIRMED, SCHEDULE_CHANGED, CANCELLED = "order.confirmed", "order.schedule_changed", "order.cancelled"


def store_event(uow, clock, event: dict) -> bool:
    """Store a verified agency event; False when it was already stored (a repeat delivery)."""
    try:
        with uow:
            if uow.session.get(AgencyEvent, event["id"]) is not None:
                return False
            uow.session.add(AgencyEvent(event_id=event["id"], event_type=event["type"],
                                        body=json.dumps(_without_passenger(event)), received_at=clock.now(),
                                        attempts=0))
    except IntegrityError:
        return False   # a concurrent delivery of the same event was stored first
    return True


def _without_passenger(event: dict) -> dict:
    """An agency may echo the passenger in its webhooks: travel keeps no one's identity."""
    data = {key: value for key, value in (event.get("data") or {}).items() if key not in PERSONAL}
    return dict(event, data=data)


def process_stored(uow, clock, actor: str, limit: int = 50) -> int:
    """Act on stored events, oldest first; returns how many were handled.

    `actor` names the agency (settings.agency_actor); the unit of work's own
    context is restored afterwards, for whatever the worker does next.
    """
    handled, before = 0, dict(uow.context)
    while handled < limit:
        event_id = None
        try:
            with uow:
                row = _next(uow.session)
                if row is None:
                    return handled
                event_id = row.event_id
                uow.context.update(causation_id=webhook_cause(event_id), actor=actor)
                row.outcome = apply(uow, clock, row.event_type, json.loads(row.body).get("data") or {})
                row.processed_at = clock.now()
        except Exception:   # one bad event must not stop the others; it is tried again, then marked
            log.exception("could not act on an agency event", extra={"agency_event_id": event_id})
            _count_failure(uow, clock, event_id)
        finally:
            uow.context.clear()
            uow.context.update(before)
        handled += 1
    return handled


def webhook_cause(event_id: str) -> str:
    """The causation id of what an agency webhook changed (as `request:<id>` for staff requests)."""
    return f"webhook:{event_id}"


def _next(session) -> AgencyEvent | None:
    query = (select(AgencyEvent).where(AgencyEvent.processed_at.is_(None))
             .order_by(AgencyEvent.received_at, AgencyEvent.event_id).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def _count_failure(uow, clock, event_id: str | None) -> None:
    if event_id is None:
        return
    with uow:
        row = uow.session.get(AgencyEvent, event_id)
        row.attempts += 1
        if row.attempts >= MAX_ATTEMPTS:
            row.processed_at, row.outcome = clock.now(), "failed"


def apply(uow, clock, event_type: str, data: dict) -> str:
    """Apply one agency event to its booking; returns what came of it."""
    booking = _booking(uow.session, data)
    if booking is None:
        return "unmatched"
    itinerary = records.locked(uow.session, booking.itinerary_id)
    uow.session.refresh(booking)
    revision = int(data.get("revision") or 0)
    if revision and revision <= booking.revision:
        return "stale"
    handler = HANDLERS.get(event_type)
    if handler is None:
        return "ignored"
    booking.revision = max(revision, booking.revision)
    booking.order_id = booking.order_id or data.get("order_id")
    return handler(uow, clock, itinerary, booking, data)


def _booking(session, data: dict) -> Booking | None:
    if data.get("client_reference"):
        booking = session.get(Booking, str(data["client_reference"]))
        if booking is not None:
            return booking
    if data.get("order_id"):
        return session.scalars(select(Booking).where(Booking.order_id == str(data["order_id"]))).first()
    return None


def _dates(data: dict) -> tuple[date, date]:
    start = data.get("departs_on") or data.get("check_in")
    end = data.get("arrives_on") or data.get("check_out") or start
    return date.fromisoformat(start), date.fromisoformat(end)


def _confirmed(uow, clock, itinerary: Itinerary, booking: Booking, data: dict) -> str:
    booking.booked_start, booking.booked_end = _dates(data)
    booking.confirmation_code = data.get("confirmation_code") or booking.confirmation_code
    if booking.status in ("cancelling", "cancelled"):
        return "after_cancellation"
    fits = domain.fulfils(records.as_part(booking), booking.booked_start, booking.booked_end)
    booking.status = "confirmed" if fits else "pending"
    if fits:   # a booking or change that had failed went through after all
        records.resolve_open(uow, clock, DeskTask.booking_id == booking.id,
                             DeskTask.code.in_(("booking_failed", "change_failed")))
    records.history(uow, clock, itinerary, "booking_confirmed", booking.part, start=booking.booked_start,
                    end=booking.booked_end, as_asked=fits)
    bookings.settle(uow, clock, itinerary)
    return "confirmed" if fits else "awaiting_change"


def _schedule_changed(uow, clock, itinerary: Itinerary, booking: Booking, data: dict) -> str:
    never_confirmed = booking.booked_start is None
    booking.booked_start, booking.booked_end = start, end = _dates(data)
    if never_confirmed and booking.status == "pending":   # its confirmation is still on its way
        booking.status = "confirmed"
        bookings.settle(uow, clock, itinerary)
    if domain.KIND_OF[booking.part] == domain.HOTEL:
        return _hotel_changed(uow, clock, itinerary, booking, start, end)
    conflict = domain.schedule_conflict(booking.part, start, end, records.plan_of(itinerary))
    records.history(uow, clock, itinerary, "schedule_changed", booking.part, start=start, end=end,
                    fits=conflict is None)
    if conflict is None or itinerary.status != "active":
        return "accepted"
    records.open_task(uow, clock, itinerary, "conflict", conflict, booking, start=start, end=end)
    return "conflict"


def _hotel_changed(uow, clock, itinerary: Itinerary, booking: Booking, start: date, end: date) -> str:
    """The hotel moved a stay: a conflict when a night of the stay is left without a room."""
    nights = _uncovered(uow, itinerary)
    records.history(uow, clock, itinerary, "schedule_changed", booking.part, start=start, end=end,
                    fits=not nights)
    if not nights or itinerary.status != "active":
        return "accepted"
    _uncovered_conflict(uow, clock, itinerary, booking, nights)
    return "conflict"


def _uncovered(uow, itinerary: Itinerary) -> list[date]:
    """The stay's nights no live hotel booking covers (booked dates once the agency has said)."""
    hotels = [(b.booked_start or b.wanted_start, b.booked_end or b.wanted_end)
              for b in records.current_bookings(uow.session, itinerary.id).values()
              if domain.KIND_OF[b.part] == domain.HOTEL and b.status in ("pending", "confirmed")]
    return domain.uncovered_nights(records.plan_of(itinerary), hotels)


def _uncovered_conflict(uow, clock, itinerary: Itinerary, booking: Booking, nights: list[date]) -> None:
    records.open_task(uow, clock, itinerary, "conflict", domain.HOTEL_NIGHTS_UNCOVERED, booking,
                      first_night=nights[0], last_night=nights[-1], nights=len(nights))


def _cancelled(uow, clock, itinerary: Itinerary, booking: Booking, data: dict) -> str:
    if booking.status == "cancelled":
        return "already_cancelled"
    if booking.status == "cancelling":
        bookings.mark_cancelled(uow, clock, itinerary, booking, int(data.get("fee_cents") or 0))
        return "cancelled"
    booking.status = "cancelled"   # the agency (or airline, or hotel) cancelled on its own
    records.history(uow, clock, itinerary, "cancelled_by_agency", booking.part)
    nights = _uncovered(uow, itinerary) if domain.KIND_OF[booking.part] == domain.HOTEL else []
    if itinerary.status == "active" and nights:
        _uncovered_conflict(uow, clock, itinerary, booking, nights)
    elif itinerary.status == "active":
        records.open_task(uow, clock, itinerary, "conflict", domain.CANCELLED_BY_AGENCY, booking)
    bookings.settle(uow, clock, itinerary)
    return "cancelled_by_agency"


HANDLERS = {CONFIRMED: _confirmed, SCHEDULE_CHANGED: _schedule_changed, CANCELLED: _cancelled}
