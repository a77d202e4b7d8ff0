"""The relay URL, the calendar file and the MIME message, read back as a mail client would."""

from datetime import UTC, datetime
from email import message_from_bytes, policy

import icalendar
import pytest

from services.notifications.adapters.calendar import ics
from services.notifications.adapters.composer import compose
from services.notifications.adapters.rendering import render
from services.notifications.adapters.smtp import parse_url
from services.notifications.settings import Clinic
from services.notifications.tests.samples import CHECKUPS, PLAN, context

STAMP = datetime(2026, 10, 1, tzinfo=UTC)


def test_a_relay_url_gives_host_port_starttls_and_login():
    relay = parse_url("smtp://mailer:s%40cret@smtp.example:587?starttls=true")
    assert (relay.host, relay.port, relay.starttls, relay.tls) == ("smtp.example", 587, True, False)
    assert (relay.username, relay.password) == ("mailer", "s@cret")
    assert "s@cret" not in relay.safe
    assert parse_url("smtps://smtp.example").port == 465 and parse_url("smtps://smtp.example").tls


def test_a_relay_url_of_another_scheme_is_refused_with_a_sentence():
    with pytest.raises(ValueError, match="smtp://"):
        parse_url("http://smtp.example")


def test_the_checkup_calendar_entry_starts_at_the_patients_local_time():
    raw = ics("J-1", "checkup_reminder", {"checkup_date": "2027-01-05"}, CHECKUPS, "de", "Clinic", STAMP, 1)
    [entry] = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert entry.decoded("dtstart") == datetime.fromisoformat("2027-01-05T10:00:00+01:00")
    assert str(entry["summary"]).startswith("Kontrolle beim Facharzt")


def test_a_moved_surgery_updates_the_same_calendar_entries():
    first = icalendar.Calendar.from_ical(ics("J-1", "surgery_scheduled", PLAN, {}, "en", "C", STAMP, 1))
    moved = icalendar.Calendar.from_ical(
        ics("J-1", "surgery_rescheduled", dict(PLAN, surgery_date="2026-11-10"), {}, "en", "C", STAMP, 2)
    )
    assert [str(e["uid"]) for e in first.walk("VEVENT")] == [str(e["uid"]) for e in moved.walk("VEVENT")]
    assert moved.walk("VEVENT")[1].decoded("dtstart").isoformat() == "2026-11-10"


def test_a_message_has_text_html_its_language_and_the_calendar_attached():
    clinic = Clinic()
    mail = compose(
        "m-1",
        render("surgery_scheduled", "nl", context("surgery_scheduled"), clinic),
        "anna@example.org",
        "Anna",
        clinic,
        STAMP,
        ics("J-1", "surgery_scheduled", PLAN, {}, "nl", clinic.name, STAMP, 1),
    )
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    assert parsed["Content-Language"] == "nl" and parsed["Subject"] == "Uw operatiedatum"
    assert parsed["Message-ID"] == "<m-1@clinic.example>"
    assert parsed.get_body(("plain",)) and parsed.get_body(("html",))
    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    icalendar.Calendar.from_ical(attachment.get_content())
