"""Use cases driven by other stages' events. Each runs in ONE unit of work."""
import uuid

from services.travel import bookings, domain, records
from services.travel.models import Itinerary, Traveller


class Settings:
    """The travel section of config.yaml, read once per call."""

    def __init__(self, config: dict):
        travel = config.get("TRAVEL") or {}
        self.clinic_airport = str(travel.get("clinic_airport", "AMS"))
        self.airports = {str(k).upper(): str(v) for k, v in (travel.get("home_airports") or {}).items()}


def remember_traveller(uow, event) -> None:
    """patient_accepted: keep the country, to choose the home airport later."""
    with uow:
        traveller = uow.session.get(Traveller, event.journey_id)
        if traveller is None:
            traveller = Traveller(journey_id=event.journey_id)
            uow.session.add(traveller)
        traveller.country = event.payload["country"]


def airport_for(session, journey_id: str, settings: Settings) -> str | None:
    traveller = session.get(Traveller, journey_id)
    return domain.home_airport(traveller.country if traveller else None,
                               traveller.home_airport if traveller else None, settings.airports)


def request_itinerary(uow, event, settings: Settings) -> None:
    """surgery_scheduled: ask the agency for flights and hotels (a second plan is a change)."""
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is not None:
            _replan(uow, itinerary, event.payload, settings)
            return
        itinerary = Itinerary(id=str(uuid.uuid4()), journey_id=event.journey_id,
                              surgery_id=event.payload["surgery_id"], status="active", confirmed=False,
                              created_at=records.now())
        records.set_plan(itinerary, event.payload)
        uow.session.add(itinerary)
        uow.session.flush()
        airport = airport_for(uow.session, event.journey_id, settings)
        uow.emit("itinerary_requested", {"itinerary_id": itinerary.id, "arrival_by": itinerary.arrival_by,
                                         "departure_date": itinerary.departure_date}, event.journey_id)
        records.history(uow, itinerary, "itinerary_requested", arrival_by=itinerary.arrival_by,
                        departure_date=itinerary.departure_date)
        bookings.apply_parts(uow, itinerary, domain.parts_for(records.plan_of(itinerary), airport,
                                                              settings.clinic_airport))
        if airport is None:
            records.open_task(uow, itinerary, "task", "home_airport_unknown")


def change_itinerary(uow, event, settings: Settings) -> None:
    """surgery_rescheduled: move every booking to the new dates."""
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is not None:
            _replan(uow, itinerary, event.payload, settings)


def _replan(uow, itinerary: Itinerary, plan: dict, settings: Settings) -> None:
    records.set_plan(itinerary, plan)
    itinerary.surgery_id = plan["surgery_id"]
    replan(uow, itinerary, settings)


def replan(uow, itinerary: Itinerary, settings: Settings) -> None:
    """Bring the bookings in line with the itinerary's (new) plan and announce the change."""
    airport = airport_for(uow.session, itinerary.journey_id, settings)
    parts = domain.parts_for(records.plan_of(itinerary), airport, settings.clinic_airport)
    changes = bookings.apply_parts(uow, itinerary, parts)
    if changes.add or changes.change or changes.remove:
        uow.emit("itinerary_change_requested", {
            "itinerary_id": itinerary.id, "arrival_by": itinerary.arrival_by,
            "departure_date": itinerary.departure_date}, itinerary.journey_id)
    bookings.settle(uow, itinerary)


def cancel_itinerary(uow, event) -> None:
    """surgery_cancelled: cancel every booking (compensation); the cost is recorded."""
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is None:
            return
        itinerary.status, itinerary.confirmed = "cancelling", False
        records.history(uow, itinerary, "cancellation_started", reason_code=event.payload["reason_code"])
        for booking in records.current_bookings(uow.session, itinerary.id).values():
            bookings.cancel(uow, itinerary, booking)
        bookings.settle(uow, itinerary)


def note_rehab_end(uow, event) -> None:
    """rehab_completed: earlier or later than planned, the desk is told (it may move the return)."""
    completed, planned = event.payload["completed_on"], event.payload["planned_end"]
    with uow:
        itinerary = records.active_itinerary(uow.session, event.journey_id)
        if itinerary is None:
            return
        itinerary.rehab_completed_on = completed
        records.history(uow, itinerary, "rehab_completed", completed_on=completed, planned_end=planned)
        if completed != planned:
            records.open_task(uow, itinerary, "task", "rehab_end_changed", part=domain.RETURN,
                              completed_on=completed, planned_end=planned,
                              departure_date=itinerary.departure_date)


def confirm_erasure(uow, event) -> None:
    """erasure_requested: travel keeps only a country for enquirers; it is removed."""
    with uow:
        traveller = uow.session.get(Traveller, event.journey_id)
        if traveller is not None and records.active_itinerary(uow.session, event.journey_id) is None:
            uow.session.delete(traveller)
        uow.emit("erasure_confirmed", {"request_id": event.payload["request_id"], "service": "travel",
                                       "erased": True}, event.journey_id)
