"""What the travel desk reads: a journey's itinerary, and the open conflicts and tasks."""
from sqlalchemy import select

from services.travel.domain import itinerary as domain
from services.travel.models import Booking, DeskTask, HistoryEntry, Itinerary, Traveller
from shared.errors import NotFound

ITINERARY_COLUMNS = ("id", "journey_id", "surgery_id", "status", "confirmed", "arrival_by",
                     "preop_check_date", "surgery_date", "planned_ward_discharge", "planned_rehab_end",
                     "rehab_completed_on", "departure_date")


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
        view = {column: getattr(itinerary, column) for column in ITINERARY_COLUMNS}
        view.update(home_airport=traveller.home_airport if traveller else None,
                    bookings=[dict(_columns(b), kind=domain.KIND_OF[b.part]) for b in rows],
                    history=[_columns(e) for e in entries],
                    conflicts=[t for t in open_items if t["kind"] == "conflict"],
                    tasks=[t for t in open_items if t["kind"] == "task"])
        return view


def open_tasks(uow) -> list[dict]:
    """Every open conflict and task, oldest first: the travel desk's work queue."""
    with uow:
        return _open_tasks(uow.session, DeskTask.status == "open")


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
