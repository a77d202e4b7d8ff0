"""The second opinion at the partner clinic: booked, held or missed (and booked again), concluded.

`advised_to_enquire` opens a suitability enquiry for the same person on a journey of its own,
linked both ways: the second opinion keeps its own outcome (and erasure), and every later stage
keys its work by the suitability journey. Contact details and consents are copied here, inside
enquiries, never through an event.
"""
import uuid

from sqlalchemy import inspect, select

from services.enquiries.domain import second_opinion as rules
from services.enquiries.handlers.common import actor, enquiry_for
from services.enquiries.handlers.consents import copy_consents
from services.enquiries.models import Enquiry, SecondOpinionAppointment
from shared.clock import aware
from shared.contracts.enquiries import (
    EnquiryReceived,
    SecondOpinionBooked,
    SecondOpinionConcluded,
    SecondOpinionHeld,
    SecondOpinionMissed,
)
from shared.errors import Conflict, NotFound

COLUMNS = tuple(column.key for column in inspect(Enquiry).columns)
RECORDED = {rules.HELD: SecondOpinionHeld, rules.MISSED: SecondOpinionMissed}


def book(uow, clock, journey_id: str, data: dict) -> dict:
    """Book the appointment at the partner clinic (again, after a missed one)."""
    with uow:
        enquiry = _second_opinion(uow, journey_id)
        rules.check_can_book(enquiry.status, data["scheduled_at"], clock.now())
        rebooked = enquiry.status == rules.MISSED
        row = SecondOpinionAppointment(enquiry_id=enquiry.id, status=rules.BOOKED, booked_by=actor(uow),
                                       updated_at=clock.now(), **data)
        uow.session.add(row)
        uow.session.flush()
        enquiry.status = rules.BOOKED
        _booked(uow, enquiry, row, rebooked)
        return view(uow.session, enquiry)


def change_appointment(uow, clock, journey_id: str, appointment_id: int, change: dict) -> dict:
    """Record how a booked appointment went (held or missed), or move it to a new time or place."""
    with uow:
        enquiry = _second_opinion(uow, journey_id)
        row = uow.session.get(SecondOpinionAppointment, appointment_id)
        if row is None or row.enquiry_id != enquiry.id:
            raise NotFound(f"no second-opinion appointment {appointment_id} on this journey")
        if "status" in change:
            rules.check_can_record(row.status, change["status"], aware(row.scheduled_at), clock.today(),
                                   clock.timezone)
            row.status = enquiry.status = change["status"]
            uow.emit(RECORDED[row.status], {"enquiry_id": enquiry.id, "appointment_id": row.id},
                     enquiry.journey_id)
        else:
            rules.check_can_move(row.status, change.get("scheduled_at"), clock.now())
            for key, value in change.items():
                setattr(row, key, value)
            _booked(uow, enquiry, row, rebooked=True)
        row.updated_at = clock.now()
        return view(uow.session, enquiry)


def conclude(uow, clock, journey_id: str, data: dict) -> dict:
    """Close the second opinion with its outcome; `advised_to_enquire` opens the suitability enquiry."""
    with uow:
        enquiry = _second_opinion(uow, journey_id)
        rules.check_can_conclude(enquiry.status, data["outcome"])
        if data["outcome"] == rules.OPENS_SUITABILITY:
            if enquiry.erased_at is not None:
                raise Conflict("the enquirer's data was erased; a new enquiry is needed")
            enquiry.suitability_journey_id = _open_suitability(uow, enquiry, clock.now()).journey_id
        enquiry.status, enquiry.second_opinion_outcome = rules.CONCLUDED, data["outcome"]
        enquiry.second_opinion_note = data["note"]
        enquiry.concluded_by, enquiry.concluded_at = actor(uow), clock.now()
        uow.emit(SecondOpinionConcluded, {"enquiry_id": enquiry.id, "outcome": data["outcome"],
                                          "suitability_journey_id": enquiry.suitability_journey_id},
                 enquiry.journey_id)
        return view(uow.session, enquiry)


def view(session, enquiry: Enquiry) -> dict:
    """The second opinion as staff read it (times with their offset)."""
    rows = session.scalars(select(SecondOpinionAppointment).where(
        SecondOpinionAppointment.enquiry_id == enquiry.id).order_by(SecondOpinionAppointment.id))
    appointments = [{"id": row.id, "scheduled_at": aware(row.scheduled_at), "place": row.place,
                     "status": row.status, "booked_by": row.booked_by} for row in rows]
    return {"journey_id": enquiry.journey_id, "status": enquiry.status, "appointments": appointments,
            "outcome": enquiry.second_opinion_outcome, "note": enquiry.second_opinion_note,
            "concluded_by": enquiry.concluded_by, "concluded_at": aware(enquiry.concluded_at),
            "suitability_journey_id": enquiry.suitability_journey_id}


def _second_opinion(uow, journey_id: str) -> Enquiry:
    enquiry = enquiry_for(uow, journey_id, lock=True)
    if enquiry.kind != "second_opinion":
        raise Conflict(f"this journey is a {enquiry.kind} enquiry, not a second opinion", kind=enquiry.kind)
    return enquiry


def _booked(uow, enquiry: Enquiry, row: SecondOpinionAppointment, rebooked: bool) -> None:
    uow.emit(SecondOpinionBooked, {"enquiry_id": enquiry.id, "appointment_id": row.id,
                                   "scheduled_at": aware(row.scheduled_at), "rebooked": rebooked},
             enquiry.journey_id)


def _open_suitability(uow, source: Enquiry, now) -> Enquiry:
    """The same person's suitability enquiry, on a journey of its own, awaiting the health questions."""
    known = rules.carried_over({key: getattr(source, key) for key in COLUMNS})
    enquiry = Enquiry(id=str(uuid.uuid4()), journey_id=str(uuid.uuid4()), kind="suitability",
                      status=rules.AWAITING_HEALTH, received_at=now, opened_from_journey_id=source.journey_id,
                      **known)
    uow.session.add(enquiry)
    uow.session.flush()
    copy_consents(uow.session, source, enquiry)
    uow.emit(EnquiryReceived, {"enquiry_id": enquiry.id, "kind": "suitability", "country": enquiry.country,
                               "preferred_language": enquiry.preferred_language,
                               "opened_from_journey_id": source.journey_id, "health_questions_pending": True},
             enquiry.journey_id)
    return enquiry
