"""Itinerary planning, driven by other stages' events. Each use case runs in ONE unit of work."""
import uuid

from services.travel.domain import itinerary as domain
from services.travel.handlers import bookings, records
from services.travel.models import Itinerary, Traveller
from services.travel.settings import Settings
from shared.contracts.travel import ItineraryChangeRequested, ItineraryRequested
from shared.rows import locked_get_or_create


def remember_traveller(uow, event) -> None:
    """patient_accepted: keep the country, to choose the home airport later."""
    with uow:
        traveller = locked_get_or_create(uow.session, Traveller, event.journey_id)
        traveller.country = event.payload["country"]


def airport_for(session, journey_id: str, settings: Settings) -> str | None:
    traveller = session.get(Traveller, journey_id)
    return domain.home_airport(traveller.country if traveller else None,
                               traveller.home_airport if traveller else None, settings.airports)


def request_itinerary(uow, clock, event, settings: Settings) -> None:
    """surgery_scheduled: ask the agency for flights and hotels (a second plan is a change)."""
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is not None:
            _replan(uow, clock, itinerary, event.payload, settings)
            return
        itinerary = Itinerary(id=str(uuid.uuid4()), journey_id=event.journey_id,
                              surgery_id=event.payload["surgery_id"], status="active", confirmed=False,
                              created_at=clock.now())
        records.set_plan(itinerary, event.payload)
        uow.session.add(itinerary)
        uow.session.flush()
        airport = airport_for(uow.session, event.journey_id, settings)
        uow.emit(ItineraryRequested, {"itinerary_id": itinerary.id, "arrival_by": itinerary.arrival_by,
                                      "departure_date": itinerary.departure_date}, event.journey_id)
        records.history(uow, clock, itinerary, "itinerary_requested", arrival_by=itinerary.arrival_by,
                        departure_date=itinerary.departure_date)
        bookings.apply_parts(uow, clock, itinerary, domain.parts_for(records.plan_of(itinerary), airport,
                                                                     settings.clinic_airport))
        if airport is None:
            records.open_task(uow, clock, itinerary, "task", "home_airport_unknown")


def change_itinerary(uow, clock, event, settings: Settings) -> None:
    """surgery_rescheduled: move the bookings to the new dates, keeping what has happened.

    A patient postponed at the pre-op check is already here (`patient_in_country`):
    the outbound flight stays, the hotel is extended, only the return flight moves.
    """
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is not None:
            _replan(uow, clock, itinerary, event.payload, settings,
                    in_country=bool(event.payload.get("patient_in_country")))


def _replan(uow, clock, itinerary: Itinerary, plan: dict, settings: Settings, in_country=False) -> None:
    records.set_plan(itinerary, plan)
    itinerary.surgery_id = plan["surgery_id"]
    if in_country:
        records.history(uow, clock, itinerary, "patient_in_country", surgery_date=itinerary.surgery_date)
    replan(uow, clock, itinerary, settings, in_country)


def replan(uow, clock, itinerary: Itinerary, settings: Settings, in_country: bool = False) -> None:
    """Bring the bookings in line with the itinerary's (new) plan and announce the change.

    Flights already flown are never changed (the clinic's clock says which).
    """
    airport = airport_for(uow.session, itinerary.journey_id, settings)
    current = records.current_bookings(uow.session, itinerary.id)
    parts = domain.replan_parts(records.plan_of(itinerary), airport, settings.clinic_airport,
                                {name: records.as_part(b) for name, b in current.items()},
                                clock.today(), in_country)
    changes = bookings.apply_parts(uow, clock, itinerary, parts)
    if changes.add or changes.change or changes.remove:
        uow.emit(ItineraryChangeRequested, {
            "itinerary_id": itinerary.id, "arrival_by": itinerary.arrival_by,
            "departure_date": itinerary.departure_date}, itinerary.journey_id)
    bookings.settle(uow, clock, itinerary)


def cancel_itinerary(uow, clock, event) -> None:
    """surgery_cancelled: cancel every booking (compensation) but a flight already flown; the cost
    is recorded."""
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is None:
            return
        itinerary.status, itinerary.confirmed = "cancelling", False
        records.history(uow, clock, itinerary, "cancellation_started",
                        reason_code=event.payload["reason_code"])
        for booking in records.current_bookings(uow.session, itinerary.id).values():
            if domain.KIND_OF[booking.part] == domain.FLIGHT and booking.wanted_start < clock.today():
                booking.current = False   # flown: nothing left to cancel (nor to pay back)
                records.history(uow, clock, itinerary, "flight_already_flown", booking.part)
                continue
            bookings.cancel(uow, clock, itinerary, booking)
        bookings.settle(uow, clock, itinerary)


def note_rehab_end(uow, clock, event) -> None:
    """rehab_completed: earlier or later than planned, the desk is told (it may move the return)."""
    completed, planned = event.payload["completed_on"], event.payload["planned_end"]
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is None:
            return
        itinerary.rehab_completed_on = completed
        records.history(uow, clock, itinerary, "rehab_completed", completed_on=completed, planned_end=planned)
        if completed != planned:
            records.open_task(uow, clock, itinerary, "task", "rehab_end_changed", part=domain.RETURN,
                              completed_on=completed, planned_end=planned,
                              departure_date=itinerary.departure_date)
