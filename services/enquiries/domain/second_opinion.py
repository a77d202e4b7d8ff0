"""The second opinion at the partner clinic: book, hold or miss (and book again), then conclude.

A second-opinion enquiry waits for an appointment (status `received`), is `booked`, then `held`
or `missed`; a missed one is booked again. It ends `concluded` with an outcome code. A clinical
outcome needs a held appointment; the person may withdraw at any time before it ends.
`advised_to_enquire` opens a suitability enquiry for the same person, which waits for the health
questions the second-opinion form did not ask (`awaiting_health`) before it can be pre-screened.
"""
from collections.abc import Mapping
from datetime import date, datetime, tzinfo

from shared.errors import Conflict, Invalid

AWAITING, BOOKED, HELD, MISSED, CONCLUDED = "received", "booked", "held", "missed", "concluded"
AWAITING_HEALTH = "awaiting_health"
APPOINTMENT_OUTCOMES = (HELD, MISSED)
OPENS_SUITABILITY, WITHDREW = "advised_to_enquire", "patient_withdrew"
# Copied into the suitability enquiry it opens: who they are, how to reach them, what they consented to.
CARRIED_OVER = ("name", "email", "phone", "country", "preferred_language", "prosthesis_complaints",
                "amputation_level", "privacy_consent", "health_data_consent", "marketing_consent")
# What the pre-screen needs that the second-opinion form did not ask for.
HEALTH_QUESTIONS = ("date_of_birth", "amputation_level", "amputation_side", "years_since_amputation",
                    "smoking_status", "diabetes", "circulatory_disease", "body_weight_kg")


def check_can_book(status: str, scheduled_at: datetime, now: datetime) -> None:
    """Book while it waits for an appointment (first time, or after a missed one), in the future."""
    if status not in (AWAITING, MISSED):
        raise Conflict(f"the second opinion is {status}; only one waiting for an appointment can be booked",
                       status=status)
    check_in_future(scheduled_at, now)


def check_in_future(scheduled_at: datetime, now: datetime) -> None:
    if scheduled_at <= now:
        raise Invalid("the appointment must be in the future",
                      fields={"scheduled_at": ["a date and time after now"]})


def check_can_move(appointment_status: str, scheduled_at: datetime | None, now: datetime) -> None:
    """Only a booked appointment moves; a new time is in the future."""
    if appointment_status != BOOKED:
        raise Conflict(f"an appointment that is {appointment_status} cannot be moved; book a new one")
    if scheduled_at is not None:
        check_in_future(scheduled_at, now)


def check_can_record(appointment_status: str, new: str, scheduled_at: datetime, today: date,
                     timezone: tzinfo) -> None:
    """A booked appointment becomes held or missed, once its day (at the clinic) has come."""
    if new not in APPOINTMENT_OUTCOMES:
        raise Invalid(f"an appointment is held or missed, not {new}",
                      fields={"status": list(APPOINTMENT_OUTCOMES)})
    if appointment_status != BOOKED:
        raise Conflict(f"the appointment is already {appointment_status}")
    day = scheduled_at.astimezone(timezone).date()
    if day > today:
        raise Conflict(f"the appointment is on {day.isoformat()}; it cannot be {new} before that day")


def check_can_conclude(status: str, outcome: str) -> None:
    """A clinical outcome follows a held appointment; withdrawing ends it at any time before."""
    if status == CONCLUDED:
        raise Conflict("the second opinion is already concluded", status=status)
    if outcome != WITHDREW and status != HELD:
        raise Conflict(f"the second opinion is {status}: an outcome follows a held appointment",
                       status=status)


def carried_over(enquiry: Mapping) -> dict:
    """The facts a suitability enquiry opened from a second opinion starts with (nothing retyped)."""
    return {key: enquiry[key] for key in CARRIED_OVER}


def unanswered(known: Mapping) -> list[str]:
    """The health questions still without an answer."""
    return [key for key in HEALTH_QUESTIONS if known.get(key) is None]
