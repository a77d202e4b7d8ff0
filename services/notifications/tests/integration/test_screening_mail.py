"""A screening appointment reaches the patient as an invitation in their language, with a calendar file
their calendar adds and, when the appointment moves, updates: read back from real SMTP."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from babel.dates import format_date

from services.notifications.tests.integration.support import CONTACTS, contact
from shared.testing.infra import wait_for

SUBJECTS = {"nl": ("Uitnodiging voor uw afspraak", "Uw afspraak heeft een nieuw tijdstip"),
            "de": ("Einladung zu Ihrem Termin", "Ihr Termin hat eine neue Zeit")}
STEP = {"nl": "een telefonische afspraak met de psycholoog", "de": "einem Telefontermin beim Psychologen"}
COUNTRY = {"nl": ("PT", "Europe/Lisbon"), "de": ("DE", "Europe/Berlin")}


def _calendar(mail) -> icalendar.Event:
    [raw] = [part.get_content() for part in mail.iter_attachments()]
    [entry] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    return entry


@pytest.mark.parametrize("language", ["nl", "de"])
def test_a_screening_appointment_is_one_invitation_in_the_patients_language_and_its_move_updates_it(
        system, language):
    journey, person = contact(language)
    country, zone = COUNTRY[language]
    CONTACTS[journey] = dict(CONTACTS[journey], country=country, time_zone=None)   # as enquiries answers
    at = datetime(2030, 2, 1, 9, 30, tzinfo=UTC)
    appointment = {"enquiry_id": "E", "appointment_id": 41, "step": "psychologist_call", "examination": None,
                   "scheduled_at": at, "channel": "phone"}
    planned = system.publish("enquiries", "screening_appointment_planned", appointment, journey)
    system.publish("enquiries", "screening_appointment_planned", {}, journey, event=planned)   # redelivered
    system.publish("enquiries", "screening_appointment_moved",
                   dict(appointment, scheduled_at=at.replace(day=2)), journey)
    mails = wait_for(lambda: (m := system.sink.mails_to(person["email"])) and len(m) >= 2 and m, timeout=20)
    wait_for(lambda: system.count(system.db.kernel.inbox, journey_id=journey) == 2)   # the repeat was seen

    assert len(system.sink.mails_to(person["email"])) == 2
    by_subject = {str(m["Subject"]): m for m in mails}
    assert set(by_subject) == set(SUBJECTS[language])
    assert {m["Content-Language"] for m in mails} == {language}
    invitation, moved = (by_subject[s] for s in SUBJECTS[language])
    text = invitation.get_body(("plain",)).get_content()
    local = at.astimezone(ZoneInfo(zone))   # the patient's own zone, from their country
    assert STEP[language] in text
    assert format_date(local.date(), format="full", locale=language) in text
    assert local.strftime("%H:%M") in text

    first, update = _calendar(invitation), _calendar(moved)
    assert first.decoded("dtstart") == at and first["dtstart"].to_ical().endswith(b"Z")
    assert update.decoded("dtstart") == at.replace(day=2)
    assert str(update["uid"]) == str(first["uid"])
    assert update.decoded("sequence") >= first.decoded("sequence")
