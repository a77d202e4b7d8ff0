"""Use cases of the travel desk (staff, through the gateway)."""
import uuid

from sqlalchemy import select

from services.travel import bookings, domain, handlers, records, schemas
from services.travel.models import Booking, DeskTask, HistoryEntry, Itinerary, Traveller
from shared.errors import Conflict, Invalid, NotFound


def get_itinerary(uow, journey_id: str) -> dict:
    """The journey's latest itinerary, its bookings and history, open conflicts and tasks."""
    with uow:
        itinerary = _latest(uow.session, journey_id)
        rows = uow.session.scalars(select(Booking).where(Booking.itinerary_id == itinerary.id)
                                   .order_by(Booking.current.desc(), Booking.part)).all()
        entries = uow.session.scalars(select(HistoryEntry).where(HistoryEntry.itinerary_id == itinerary.id)
                                      .order_by(HistoryEntry.id)).all()
        open_items = _open_tasks(uow.session, DeskTask.itinerary_id == itinerary.id)
        traveller = uow.session.get(Traveller, journey_id)
        view = {c: getattr(itinerary, c) for c in schemas.ItineraryOut().fields if hasattr(itinerary, c)}
        view.update(home_airport=traveller.home_airport if traveller else None,
                    bookings=[dict(_columns(b), kind=domain.KIND_OF[b.part]) for b in rows],
                    history=[_columns(e) for e in entries],
                    conflicts=[t for t in open_items if t["kind"] == "conflict"],
                    tasks=[t for t in open_items if t["kind"] == "task"])
        return schemas.ItineraryOut().dump(view)


def open_tasks(uow) -> list[dict]:
    """Every open conflict and task, oldest first: the travel desk's work queue."""
    with uow:
        return schemas.TaskOut(many=True).dump(_open_tasks(uow.session, DeskTask.status == "open"))


def enter_phone_booking(uow, journey_id: str, data: dict) -> dict:
    """Record a booking the desk made by phone, for a part the agency could not book."""
    data = schemas.load(schemas.PhoneBookingIn, data)
    with uow:
        itinerary = _active(uow.session, journey_id)
        current = records.current_bookings(uow.session, itinerary.id).get(data["part"])
        if current is not None and current.source == "agency" and current.status in records.LIVE:
            raise Conflict("this part is booked through the agency", part=data["part"],
                           status=current.status)
        if current is not None:
            if current.source == "agency":
                bookings.cancel(uow, itinerary, current)   # a failed change still holds an agency order
            current.current = False
            records.resolve_open(uow, DeskTask.booking_id == current.id)
        end = data["end"] or data["start"]
        booking = Booking(id=str(uuid.uuid4()), itinerary_id=itinerary.id, journey_id=journey_id,
                          part=data["part"], source="phone", status="confirmed", origin=data["origin"],
                          destination=data["destination"], wanted_start=data["start"], wanted_end=end,
                          booked_start=data["start"], booked_end=end, revision=0, cost_cents=0,
                          confirmation_code=data["confirmation_code"], current=True)
        uow.session.add(booking)
        records.history(uow, itinerary, "phone_booking_entered", data["part"], start=data["start"], end=end)
        bookings.settle(uow, itinerary)
        return {"booking_id": booking.id, "itinerary_confirmed": itinerary.confirmed}


def move_return(uow, journey_id: str, data: dict, settings: handlers.Settings) -> dict:
    """Move the return flight (and the hotel's last night) to a new departure date."""
    departure = schemas.load(schemas.ReturnMoveIn, data)["departure_date"]
    with uow:
        itinerary = _active(uow.session, journey_id)
        plan = records.plan_of(itinerary)
        problems = domain.departure_problems(plan, departure)
        if problems:
            raise Invalid("the return cannot be moved to that date", fields=problems)
        records.history(uow, itinerary, "return_moved", departure_date=departure,
                        previous=itinerary.departure_date)
        itinerary.departure_date = departure
        handlers.replan(uow, itinerary, settings)
        records.resolve_open(uow, DeskTask.itinerary_id == itinerary.id, DeskTask.code == "rehab_end_changed")
        return {"itinerary_id": itinerary.id, "departure_date": departure.isoformat()}


def set_home_airport(uow, journey_id: str, data: dict, settings: handlers.Settings) -> dict:
    """Set the airport the patient flies from; the flights follow."""
    airport = schemas.load(schemas.AirportIn, data)["airport"].upper()
    with uow:
        traveller = uow.session.get(Traveller, journey_id)
        if traveller is None:
            traveller = Traveller(journey_id=journey_id)
            uow.session.add(traveller)
        traveller.home_airport = airport
        itinerary = records.active_itinerary(uow.session, journey_id)
        if itinerary is not None:
            records.history(uow, itinerary, "home_airport_set", airport=airport)
            handlers.replan(uow, itinerary, settings)
            records.resolve_open(uow, DeskTask.itinerary_id == itinerary.id,
                                 DeskTask.code == "home_airport_unknown")
        return {"journey_id": journey_id, "home_airport": airport}


def resolve_task(uow, journey_id: str, task_id: int, data: dict) -> dict:
    """Close a conflict or task; a cancellation the desk did by phone records its cost."""
    cost = schemas.load(schemas.ResolveIn, data)["cost_cents"]
    with uow:
        task = uow.session.get(DeskTask, int(task_id))
        if task is None or task.journey_id != journey_id:
            raise NotFound("no such task for this journey", task_id=task_id)
        itinerary = records.locked(uow.session, task.itinerary_id)
        uow.session.refresh(task)
        if task.status != "open":
            raise Conflict("the task is already resolved", task_id=task_id)
        records.resolve_open(uow, DeskTask.id == task.id)
        booking = uow.session.get(Booking, task.booking_id) if task.booking_id else None
        if booking is not None and booking.status == "cancelling":
            bookings.mark_cancelled(uow, itinerary, booking, cost or 0)
        records.history(uow, itinerary, "task_resolved", task.part, task=task.code)
        return {"task_id": task.id, "status": task.status}


def _open_tasks(session, *where) -> list[dict]:
    rows = session.scalars(select(DeskTask).where(DeskTask.status == "open", *where).order_by(DeskTask.id))
    return [_columns(task) for task in rows]


def _columns(row) -> dict:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def _latest(session, journey_id: str) -> Itinerary:
    itinerary = session.scalars(select(Itinerary).where(Itinerary.journey_id == journey_id)
                                .order_by(Itinerary.created_at.desc())).first()
    if itinerary is None:
        raise NotFound("no itinerary for this journey", journey_id=journey_id)
    return itinerary


def _active(session, journey_id: str) -> Itinerary:
    itinerary = records.active_itinerary(session, journey_id)
    if itinerary is None:
        raise NotFound("no active itinerary for this journey", journey_id=journey_id)
    return itinerary
