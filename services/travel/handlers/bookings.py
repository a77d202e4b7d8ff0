"""Changing bookings: book, change and cancel parts, and settle the itinerary afterwards.

Each function runs inside an open unit of work: it changes rows and records
the agency requests; nothing here talks to the agency.
"""
import uuid

from sqlalchemy import select

from services.travel.domain import itinerary as domain
from services.travel.handlers import records
from services.travel.models import AgencyRequest, Booking, Itinerary
from shared.contracts.travel import ItineraryCancelled, ItineraryConfirmed

PASSENGER_WAIT = "passenger details missing"   # an agency request's last_error while it waits for one


def order_payload(booking: Booking) -> dict:
    """What the agency is asked for: codes, dates and our reference, never a name."""
    payload = {"client_reference": booking.id, "traveller_ref": booking.journey_id,
               "kind": domain.KIND_OF[booking.part], "part": booking.part}
    return payload | _dates(booking)


def _dates(booking: Booking) -> dict:
    if domain.KIND_OF[booking.part] == domain.FLIGHT:
        return {"origin": booking.origin, "destination": booking.destination,
                "departs_on": booking.wanted_start.isoformat()}
    return {"check_in": booking.wanted_start.isoformat(), "check_out": booking.wanted_end.isoformat()}


def book(uow, clock, itinerary: Itinerary, part: domain.Part) -> Booking:
    booking = Booking(id=str(uuid.uuid4()), itinerary_id=itinerary.id, journey_id=itinerary.journey_id,
                      part=part.name, source="agency", status="pending", origin=part.origin,
                      destination=part.destination, wanted_start=part.start, wanted_end=part.end,
                      revision=0, cost_cents=0, current=True)
    uow.session.add(booking)
    uow.session.flush()   # the booking row before its request's foreign key
    records.request(uow, clock, booking, "book", order_payload(booking))
    records.history(uow, clock, itinerary, "booking_requested", part.name, start=part.start, end=part.end)
    return booking


def change(uow, clock, itinerary: Itinerary, booking: Booking, part: domain.Part) -> None:
    """Move a booking to the part's dates (one the agency dropped is booked anew)."""
    if booking.status == "cancelled" and booking.source == "agency":
        booking.current = False
        book(uow, clock, itinerary, part)
        return
    booking.wanted_start, booking.wanted_end = part.start, part.end
    booking.origin, booking.destination = part.origin, part.destination
    booking.status = "pending"
    records.history(uow, clock, itinerary, "change_requested", part.name, start=part.start, end=part.end)
    if booking.source == "phone":
        records.open_task(uow, clock, itinerary, "task", "rebook_by_phone", booking, start=part.start,
                          end=part.end)
    elif booking.order_id is None and not _book_pending(uow.session, booking):
        records.request(uow, clock, booking, "book", order_payload(booking))   # its booking had failed
    else:
        records.request(uow, clock, booking, "change", _dates(booking))


def cancel(uow, clock, itinerary: Itinerary, booking: Booking) -> None:
    """Cancel a booking (compensation); one the agency never made is simply closed."""
    if booking.status in ("cancelled", "cancelling"):
        return
    if booking.source == "phone":
        booking.status = "cancelling"
        records.open_task(uow, clock, itinerary, "task", "cancel_by_phone", booking)
    elif booking.order_id is None and not _book_pending(uow.session, booking):
        booking.status = "cancelled"
    else:
        booking.status = "cancelling"
        _wake_waiting_book(uow.session, clock, booking)
        records.request(uow, clock, booking, "cancel", {"client_reference": booking.id})
    records.history(uow, clock, itinerary, "cancellation_requested", booking.part)


def _wake_waiting_book(session, clock, booking: Booking) -> None:
    """A booking still waiting for its passenger is looked at now: withdrawn, it is never sent."""
    for request in session.scalars(select(AgencyRequest).where(
            AgencyRequest.booking_id == booking.id, AgencyRequest.action == "book",
            AgencyRequest.status == "pending", AgencyRequest.last_error == PASSENGER_WAIT)):
        request.next_attempt_at = clock.now()


def _book_pending(session, booking: Booking) -> bool:
    return session.execute(select(AgencyRequest.id).where(
        AgencyRequest.booking_id == booking.id, AgencyRequest.action == "book",
        AgencyRequest.status == "pending")).first() is not None


def apply_parts(uow, clock, itinerary: Itinerary, parts: list[domain.Part]) -> domain.Changes:
    """Bring the bookings in line with the wanted parts: none left behind, none twice."""
    current = records.current_bookings(uow.session, itinerary.id)
    changes = domain.diff({name: records.as_part(b) for name, b in current.items()}, parts)
    for part in changes.add:
        book(uow, clock, itinerary, part)
    for part in changes.change:
        change(uow, clock, itinerary, current[part.name], part)
    for name in changes.remove:
        cancel(uow, clock, itinerary, current[name])
        current[name].current = False
    return changes


def settle(uow, clock, itinerary: Itinerary) -> None:
    """After any booking moved: announce a fully confirmed or a fully cancelled itinerary."""
    uow.session.flush()
    current = records.current_bookings(uow.session, itinerary.id)
    if itinerary.status == "active":
        complete = {domain.OUTBOUND, domain.RETURN} <= current.keys()
        confirmed = complete and all(b.status == "confirmed" for b in current.values())
        if confirmed and not itinerary.confirmed:
            outbound, back = current[domain.OUTBOUND], current[domain.RETURN]
            uow.emit(ItineraryConfirmed, {
                "itinerary_id": itinerary.id,
                "arrival_date": outbound.booked_end or outbound.wanted_end,
                "departure_date": back.booked_start or back.wanted_start}, itinerary.journey_id)
            records.history(uow, clock, itinerary, "itinerary_confirmed")
        itinerary.confirmed = confirmed
    elif itinerary.status == "cancelling":
        everything = uow.session.scalars(select(Booking).where(Booking.itinerary_id == itinerary.id)).all()
        if all(b.status == "cancelled" for b in everything if b.current or b.status == "cancelling"):
            cost = sum(b.cost_cents for b in everything)
            itinerary.status = "cancelled"
            uow.emit(ItineraryCancelled, {"itinerary_id": itinerary.id, "cost_cents": cost},
                     itinerary.journey_id)
            records.history(uow, clock, itinerary, "itinerary_cancelled", cost_cents=cost)


def mark_cancelled(uow, clock, itinerary: Itinerary, booking: Booking, cost_cents: int) -> None:
    """The agency cancelled the order we asked it to cancel, at this cost."""
    if booking.status == "cancelled":
        return
    booking.status, booking.cost_cents = "cancelled", cost_cents
    records.history(uow, clock, itinerary, "booking_cancelled", booking.part, cost_cents=cost_cents)
    settle(uow, clock, itinerary)
