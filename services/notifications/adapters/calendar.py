"""Calendar files (.ics, RFC 5545) for the appointments in a message, built with `icalendar`.

Each entry's UID is stable for the journey and the appointment, so a calendar that imported
the first file updates the entry when a change arrives (a higher SEQUENCE) instead of adding one,
and removes it on a cancellation (METHOD:CANCEL, STATUS:CANCELLED). A screening appointment's
SEQUENCE is its fact's `revision` (when it happened), so the files order as the facts did.
"""
import uuid
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from shared.i18n import translations

CALENDAR = uuid.UUID("0c9e1f4a-5b7d-4e2c-8a36-f1d2b3c4e5a6")


def _(message: str) -> str:
    """Marks a title for extraction; translated in `entries`."""
    return message


TITLES = {"preop": _("Medical check at the hospital (pre-op check)"), "surgery": _("Surgery"),
          "checkup": _("Check-up with the specialist"), "second_opinion": _("Second opinion appointment"),
          "consultation": _("Consultation at the outpatient clinic"),
          "psychologist_call": _("Telephone appointment with the psychologist"),
          "specialist_introduction": _("Introductory meeting with the specialist"),
          "psychologist": _("Appointment with the psychologist"),
          "additional_examinations": _("Additional examination"),
          "x_ray": _("Additional examination: X-ray"),
          "blood_tests": _("Additional examination: blood tests"),
          "bone_density": _("Additional examination: bone density measurement")}
# Where a screening appointment is held, by its channel (in person: at the clinic's address).
PLACES = {"phone": _("By telephone: we call you"), "video": _("By video call: we send you the link")}
SCREENING = ("screening_invitation", "screening_moved", "screening_cancelled")


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _instant(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def entries(template: str, facts: dict, details: dict) -> list[tuple[str, str, object, object]]:
    """(kind, key, start, end) of each appointment the message is about; dates are all-day."""
    if template in ("surgery_scheduled", "surgery_rescheduled"):
        return [("preop", "preop", _day(facts["preop_check_date"]), None),
                ("surgery", "surgery", _day(facts["surgery_date"]), None)]
    if template in ("checkups_planned", "checkup_reminder", "checkup_moved"):
        return [("checkup", f"checkup:{c['due_on']}", _instant(c["start"]),
                 _instant(c["start"]) + timedelta(minutes=30)) for c in details.get("checkups", [])]
    if template == "second_opinion_booked":
        start = _instant(facts["scheduled_at"])
        key = f"second_opinion:{facts['appointment_id']}"
        return [("second_opinion", key, start, start + timedelta(hours=1))]
    if template in SCREENING:
        start = _instant(facts["scheduled_at"])
        return [(_screening_kind(facts), f"screening:{facts['appointment_id']}", start,
                 start + timedelta(hours=1))]
    return []


def withdrawn(template: str, facts: dict) -> list[tuple[str, str, date]]:
    """(kind, key, day) of each entry the message takes out of the patient's calendar: a moved
    check-up's entry is keyed by its old day (as the planned one was), so it is cancelled there."""
    if template == "checkup_moved":
        return [("checkup", f"checkup:{facts['previous_due_on']}", _day(facts["previous_due_on"]))]
    return []


def _screening_kind(facts: dict) -> str:
    """The title of a screening appointment: its step, its examination, a psychologist not by phone."""
    if facts["step"] == "psychologist_call" and facts["channel"] != "phone":
        return "psychologist"
    return facts.get("examination") if facts.get("examination") in TITLES else facts["step"]


def _place(template: str, facts: dict, translate, address: str | None) -> str | None:
    if template not in SCREENING:
        return None
    channel = facts["channel"]
    return translate(PLACES[channel]) if channel in PLACES else address


def ics(journey_id: str, template: str, facts: dict, details: dict, language: str, clinic_name: str,
        stamp: datetime, sequence: int, *, address: str | None = None,
        organizer: str | None = None) -> bytes | None:
    """The message's calendar file, or None when it is about no appointment."""
    found = entries(template, facts, details)
    gone = withdrawn(template, facts)
    if not found and not gone:
        return None
    gettext = translations(language).gettext
    cancelled = template == "screening_cancelled"
    calendar = Calendar()
    calendar.add("prodid", f"-//{clinic_name}//Carepath//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    place = _place(template, facts, gettext, address)
    for kind, key, start, end in found:
        entry = Event()
        entry.add("uid", f"{uuid.uuid5(CALENDAR, f'{journey_id}:{key}')}@carepath")
        entry.add("summary", f"{gettext(TITLES[kind])} - {clinic_name}")
        entry.add("dtstamp", stamp)
        entry.add("sequence", facts.get("revision") or sequence)
        if place:
            entry.add("location", place)
        if organizer:
            entry.add("organizer", f"mailto:{organizer}", parameters={"cn": clinic_name})
        if cancelled:
            entry.add("status", "CANCELLED")
        if end is None:   # a whole day
            entry.add("dtstart", start)
            entry.add("dtend", start + timedelta(days=1))
        else:             # an instant, in UTC: every calendar shows it in its owner's own zone
            entry.add("dtstart", start.astimezone(UTC))
            entry.add("dtend", end.astimezone(UTC))
        calendar.add_component(entry)
    for kind, key, day in gone:
        entry = Event()
        entry.add("uid", f"{uuid.uuid5(CALENDAR, f'{journey_id}:{key}')}@carepath")
        entry.add("summary", f"{gettext(TITLES[kind])} - {clinic_name}")
        entry.add("dtstamp", stamp)
        entry.add("sequence", sequence)
        entry.add("status", "CANCELLED")
        entry.add("dtstart", day)
        entry.add("dtend", day + timedelta(days=1))
        calendar.add_component(entry)
    return calendar.to_ical()
