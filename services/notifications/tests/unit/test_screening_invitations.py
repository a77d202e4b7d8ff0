"""Screening appointments: an invitation, a move and a cancellation, each one message with a calendar
file that the patient's calendar adds, updates and removes as the same entry."""

from datetime import UTC, datetime

import icalendar

from services.notifications.adapters import zones
from services.notifications.adapters.calendar import ics
from services.notifications.domain.messages import TEMPLATES, message_id, outgoing

AT = datetime(2026, 10, 6, 15, 0, tzinfo=UTC)
PLANNED = {"enquiry_id": "E-1", "appointment_id": 12, "step": "psychologist_call", "examination": None,
           "scheduled_at": "2026-10-06T15:00:00+02:00", "channel": "phone"}


def _one(event_type: str, payload: dict, at: datetime = AT):
    [message] = outgoing("enquiries", event_type, payload, occurred_at=at)
    return message


def _calendar(template: str, facts: dict, sent: datetime = AT) -> icalendar.Calendar:
    raw = ics("J-1", template, facts, {}, "en", "Clinic", sent, int(sent.timestamp()),
              address="Amsterdam", organizer="care@clinic.example")
    return icalendar.Calendar.from_ical(raw)


def test_each_fact_of_a_screening_appointment_sends_its_own_message_with_ids_codes_and_times_only():
    sent = {t: _one(t, PLANNED) for t in ("screening_appointment_planned", "screening_appointment_moved",
                                          "screening_appointment_cancelled")}
    assert [m.template for m in sent.values()] == ["screening_invitation", "screening_moved",
                                                  "screening_cancelled"]
    assert all(m.care_critical and m.template in TEMPLATES for m in sent.values())
    assert sent["screening_appointment_planned"].facts == {
        "appointment_id": 12, "step": "psychologist_call", "examination": None,
        "scheduled_at": "2026-10-06T15:00:00+02:00", "channel": "phone", "revision": int(AT.timestamp())}
    assert message_id("ev-1", "screening_invitation") == message_id("ev-1", "screening_invitation")


def test_the_invitation_starts_in_utc_where_and_how_it_is_held():
    planned = _one("screening_appointment_planned", PLANNED)
    [entry] = _calendar("screening_invitation", planned.facts).walk("VEVENT")
    assert entry.decoded("dtstart") == datetime(2026, 10, 6, 13, 0, tzinfo=UTC)
    assert entry["dtstart"].to_ical() == b"20261006T130000Z"
    assert str(entry["summary"]).startswith("Telephone appointment with the psychologist")
    assert str(entry["location"]) == "By telephone: we call you"
    in_person = dict(PLANNED, step="consultation", channel="in_person")
    [entry] = _calendar("screening_invitation", _one("screening_appointment_planned", in_person).facts
                        ).walk("VEVENT")
    assert str(entry["location"]) == "Amsterdam"


def test_a_moved_appointment_updates_the_same_entry_even_when_the_first_invitation_goes_out_later():
    first = _one("screening_appointment_planned", PLANNED, at=AT)
    moved = _one("screening_appointment_moved", dict(PLANNED, scheduled_at="2026-10-07T09:00:00+02:00"),
                 at=AT.replace(minute=5))
    # The invitation waited for a retry and is sent after the move: its SEQUENCE stays the lower one.
    [late] = _calendar("screening_invitation", first.facts, sent=AT.replace(hour=18)).walk("VEVENT")
    [update] = _calendar("screening_moved", moved.facts, sent=AT.replace(minute=6)).walk("VEVENT")
    assert str(late["uid"]) == str(update["uid"])
    assert update.decoded("sequence") > late.decoded("sequence")
    assert update.decoded("dtstart") == datetime(2026, 10, 7, 7, 0, tzinfo=UTC)


def test_a_cancelled_appointment_removes_the_same_entry_from_the_calendar():
    invitation = _calendar("screening_invitation", _one("screening_appointment_planned", PLANNED).facts)
    cancel = _calendar("screening_cancelled", _one("screening_appointment_cancelled", PLANNED,
                                                   at=AT.replace(hour=16)).facts)
    [invited], [cancelled] = invitation.walk("VEVENT"), cancel.walk("VEVENT")
    assert (str(invitation["method"]), str(cancel["method"])) == ("PUBLISH", "CANCEL")
    assert str(cancelled["uid"]) == str(invited["uid"]) and str(cancelled["status"]) == "CANCELLED"
    assert cancelled.decoded("sequence") > invited.decoded("sequence")
    assert str(cancelled["organizer"]) == "mailto:care@clinic.example"


def test_two_appointments_are_two_calendar_entries():
    one = _calendar("screening_invitation", _one("screening_appointment_planned", PLANNED).facts)
    other = _calendar("screening_invitation", _one("screening_appointment_planned",
                                                   dict(PLANNED, appointment_id=13)).facts)
    assert str(one.walk("VEVENT")[0]["uid"]) != str(other.walk("VEVENT")[0]["uid"])


def test_a_patient_whose_zone_no_stage_knows_reads_times_in_their_countrys_main_zone():
    assert (zones.of_country("PT"), zones.of_country("de"), zones.of_country("ES")) == (
        "Europe/Lisbon", "Europe/Berlin", "Europe/Madrid")
    assert zones.of_country(None) is None and zones.of_country("XX") is None
