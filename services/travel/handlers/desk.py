"""Use cases of the travel desk (staff, through the gateway); their input is loaded at the edge."""
import uuid

from services.travel.domain import itinerary as domain
from services.travel.handlers import bookings, planning, records
from services.travel.models import Booking, DeskTask, Itinerary, Traveller
from services.travel.settings import Settings
from shared.errors import Conflict, Invalid, NotFound
from shared.rows import locked_get_or_create


def enter_phone_booking(uow, clock, journey_id: str, data: dict) -> dict:
    """Record a booking the desk made by phone, for a part the agency could not book."""
    with uow:
        itinerary = _active(uow.session, journey_id)
        current = records.current_bookings(uow.session, itinerary.id).get(data["part"])
        if current is not None and current.source == "agency" and current.status in records.LIVE:
            raise Conflict("this part is booked through the agency", part=data["part"],
                           status=current.status)
        if current is not None:
            if current.source == "agency":
                # a failed change still holds an agency order
                bookings.cancel(uow, clock, itinerary, current)
            current.current = False
            records.resolve_open(uow, clock, DeskTask.booking_id == current.id)
        end = data["end"] or data["start"]
        booking = Booking(id=str(uuid.uuid4()), itinerary_id=itinerary.id, journey_id=journey_id,
                          part=data["part"], source="phone", status="confirmed", origin=data["origin"],
                          destination=data["destination"], wanted_start=data["start"], wanted_end=end,
                          booked_start=data["start"], booked_end=end, revision=0, cost_cents=0,
                          confirmation_code=data["confirmation_code"], current=True)
        uow.session.add(booking)
        records.history(uow, clock, itinerary, "phone_booking_entered", data["part"], start=data["start"],
                        end=end)
        bookings.settle(uow, clock, itinerary)
        return {"booking_id": booking.id, "itinerary_confirmed": itinerary.confirmed}


def move_return(uow, clock, journey_id: str, departure, settings: Settings) -> dict:
    """Move the return flight (and the hotel's last night) to a new departure date."""
    with uow:
        itinerary = _active(uow.session, journey_id)
        problems = domain.departure_problems(records.plan_of(itinerary), departure)
        if problems:
            raise Invalid("the return cannot be moved to that date", fields=problems)
        records.history(uow, clock, itinerary, "return_moved", departure_date=departure,
                        previous=itinerary.departure_date)
        itinerary.departure_date = departure
        planning.replan(uow, clock, itinerary, settings)
        records.resolve_open(uow, clock, DeskTask.itinerary_id == itinerary.id,
                             DeskTask.code == "rehab_end_changed")
        return {"itinerary_id": itinerary.id, "departure_date": departure}


def set_home_airport(uow, clock, journey_id: str, airport: str, settings: Settings) -> dict:
    """Set the airport the patient flies from; the flights follow."""
    airport = airport.upper()
    with uow:
        traveller = locked_get_or_create(uow.session, Traveller, journey_id)
        traveller.home_airport = airport
        itinerary = records.active_itinerary(uow.session, journey_id)
        if itinerary is not None:
            records.history(uow, clock, itinerary, "home_airport_set", airport=airport)
            planning.replan(uow, clock, itinerary, settings)
            records.resolve_open(uow, clock, DeskTask.itinerary_id == itinerary.id,
                                 DeskTask.code == "home_airport_unknown")
        return {"journey_id": journey_id, "home_airport": airport}


def resolve_task(uow, clock, journey_id: str, task_id: int, cost_cents: int | None) -> dict:
    """Close a conflict or task; a cancellation the desk did by phone records its cost."""
    with uow:
        task = uow.session.get(DeskTask, int(task_id))
        if task is None or task.journey_id != journey_id:
            raise NotFound("no such task for this journey", task_id=task_id)
        itinerary = records.locked(uow.session, task.itinerary_id)
        uow.session.refresh(task)
        if task.status != "open":
            raise Conflict("the task is already resolved", task_id=task_id)
        records.resolve_open(uow, clock, DeskTask.id == task.id, by_desk=True)
        booking = uow.session.get(Booking, task.booking_id) if task.booking_id else None
        if booking is not None and booking.status == "cancelling":
            bookings.mark_cancelled(uow, clock, itinerary, booking, cost_cents or 0)
        records.history(uow, clock, itinerary, "task_resolved", task.part, task=task.code)
        return {"task_id": task.id, "status": task.status}


def _active(session, journey_id: str) -> Itinerary:
    itinerary = records.active_itinerary(session, journey_id)
    if itinerary is None:
        raise NotFound("no active itinerary for this journey", journey_id=journey_id)
    return itinerary
