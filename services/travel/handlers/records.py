"""Reading and writing the itinerary's records, inside an open unit of work.

The rows every use case shares: the plan, the bookings, the history the desk
reads, its conflicts and tasks, and the requests waiting for the agency.
"""
import uuid

from sqlalchemy import func, select

from services.travel.domain import itinerary as domain
from services.travel.models import AgencyRequest, Booking, DeskTask, HistoryEntry, Itinerary
from shared.contracts.travel import TravelConflictDetected, TravelDeskTaskOpened, TravelDeskTaskResolved

SYSTEM = "system"
LIVE = ("pending", "confirmed", "cancelling")   # a booking that holds (or will hold) an order


def plan_of(itinerary: Itinerary) -> domain.Plan:
    """The plan travel must fit; once rehabilitation has ended, its real end counts."""
    return domain.Plan(itinerary.arrival_by, itinerary.preop_check_date, itinerary.surgery_date,
                       itinerary.planned_ward_discharge,
                       itinerary.rehab_completed_on or itinerary.planned_rehab_end,
                       itinerary.departure_date)


def set_plan(itinerary: Itinerary, plan: dict) -> None:
    for name in domain.Plan.__dataclass_fields__:
        setattr(itinerary, name, plan[name])


def active_itinerary(session, journey_id: str) -> Itinerary | None:
    """The journey's itinerary that is not (being) cancelled, if any, locked (see `locked`)."""
    return session.scalars(select(Itinerary).where(
        Itinerary.journey_id == journey_id, Itinerary.status == "active")
        .order_by(Itinerary.created_at.desc()).with_for_update()).first()


def locked(session, itinerary_id: str) -> Itinerary:
    """The itinerary, locked until the transaction ends.

    Events, webhooks, agency replies and the desk change the same bookings
    concurrently: each takes this lock before touching them, so none acts on
    a stale view. (SQLite serialises writers anyway.)
    """
    return session.get(Itinerary, itinerary_id, with_for_update=True, populate_existing=True)


def current_bookings(session, itinerary_id: str) -> dict[str, Booking]:
    rows = session.scalars(select(Booking).where(Booking.itinerary_id == itinerary_id,
                                                 Booking.current.is_(True)))
    return {booking.part: booking for booking in rows}


def as_part(booking: Booking) -> domain.Part:
    """What a booking asks for, as a domain part."""
    return domain.Part(booking.part, booking.wanted_start, booking.wanted_end,
                       booking.origin, booking.destination)


def history(uow, clock, itinerary: Itinerary, code: str, part: str | None = None, **details) -> None:
    uow.session.add(HistoryEntry(itinerary_id=itinerary.id, at=clock.now(), code=code, part=part,
                                 details=_jsonable(details), actor=uow.actor or SYSTEM))


def open_task(uow, clock, itinerary: Itinerary, kind: str, code: str, booking: Booking | None = None,
              part: str | None = None, **details) -> DeskTask | None:
    """Open a conflict or task for the desk, once: an identical open one is not repeated."""
    part = part or (booking.part if booking else None)
    same = select(DeskTask.id).where(
        DeskTask.itinerary_id == itinerary.id, DeskTask.code == code, DeskTask.status == "open",
        DeskTask.booking_id == booking.id if booking else DeskTask.booking_id.is_(None))
    if uow.session.execute(same).first():
        return None
    task = DeskTask(journey_id=itinerary.journey_id, itinerary_id=itinerary.id,
                    booking_id=booking.id if booking else None, kind=kind, code=code, part=part,
                    details=_jsonable(details), status="open", opened_at=clock.now())
    uow.session.add(task)
    history(uow, clock, itinerary, f"{kind}_opened", part, task=code)
    if kind == "conflict":
        uow.emit(TravelConflictDetected, {"itinerary_id": itinerary.id, "conflict_code": code,
                                              "part": part}, itinerary.journey_id)
    else:
        uow.emit(TravelDeskTaskOpened, {"itinerary_id": itinerary.id, "task_code": code,
                                             "part": part}, itinerary.journey_id)
    return task


def resolve_open(uow, clock, *where, by_desk: bool = False) -> None:
    """Close the open conflicts and tasks matching `where` (their cause went away, or the desk closed
    one), each announced so the board stops showing it as open."""
    closed = list(uow.session.scalars(select(DeskTask).where(DeskTask.status == "open", *where)))
    for task in closed:
        task.status, task.resolved_at, task.resolved_by = "resolved", clock.now(), uow.actor or SYSTEM
    uow.session.flush()
    for task in closed:
        still_open = uow.session.scalar(select(func.count()).select_from(DeskTask).where(
            DeskTask.itinerary_id == task.itinerary_id, DeskTask.kind == "conflict",
            DeskTask.status == "open"))
        uow.emit(TravelDeskTaskResolved, {"itinerary_id": task.itinerary_id, "kind": task.kind,
                                          "code": task.code, "part": task.part, "conflicts_open": still_open,
                                          "by_desk": by_desk}, task.journey_id)


def request(uow, clock, booking: Booking, action: str, payload: dict) -> AgencyRequest:
    """Record a request for the agency; the sender sends it after this transaction commits."""
    now = clock.now()
    row = AgencyRequest(booking_id=booking.id, journey_id=booking.journey_id, action=action,
                        payload=_jsonable(payload), idempotency_key=str(uuid.uuid4()),
                        status="pending", attempts=0, next_attempt_at=now, created_at=now)
    uow.session.add(row)
    return row


def _jsonable(details: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in details.items()}
