"""A check-up the staff moved: the patient's reminder moves with it, and one email in their language says
the new time, with a calendar file that cancels the old day's entry and adds the new one (real SMTP)."""
import uuid
from datetime import UTC, timedelta

import icalendar
from babel.dates import format_date
from sqlalchemy import select

from services.notifications.adapters.calendar import CALENDAR
from services.notifications.domain.reminders import checkup_reminder_at
from services.notifications.settings import parse
from services.notifications.tests.integration.support import SCHEDULES, contact
from shared.clock import aware, clinic_clock
from shared.testing.infra import wait_for

ZONE = "Europe/Berlin"


def test_a_moved_checkup_moves_its_reminder_and_its_calendar_entry_and_tells_the_patient(system):
    journey, person = contact("de", time_zone=ZONE)
    today = clinic_clock(system.config).today()
    first, second, moved = today + timedelta(days=20), today + timedelta(days=60), today + timedelta(days=27)
    SCHEDULES[journey] = {"preferences": {"time_zone": ZONE}, "checkups": [
        {"due_on": day.isoformat(), "local_start": f"{day}T10:00:00+01:00", "channel": "video",
         "status": "planned"} for day in (moved, second)]}   # as follow-up answers once it has moved
    system.publish("followup", "followup_planned", {"plan_id": "P", "checkup_dates": [first, second],
                                                    "channel": "video", "time_zone": ZONE}, journey)
    wait_for(lambda: _reminders(system, journey) == _at(system, first, second))
    system.publish("followup", "checkup_moved", {
        "checkup_id": "C-1", "plan_id": "P", "previous_due_on": first, "due_on": moved,
        "reason": "patient_request", "time_zone": ZONE, "patient_asked": True}, journey)
    wait_for(lambda: _reminders(system, journey) == _at(system, moved, second))

    mails = wait_for(lambda: [m for m in system.sink.mails_to(person["email"])
                              if str(m["Subject"]) == "Ihre Kontrolle hat einen neuen Termin"], timeout=20)
    [mail] = mails
    text = " ".join(mail.get_body(("plain",)).get_content().split())
    assert f"Ihre Kontrolle beim Facharzt vom {format_date(first, format='full', locale='de')} wurde " \
           "verschoben" in text
    assert format_date(moved, format="full", locale="de") in text
    [raw] = [part.get_content() for part in mail.iter_attachments()]
    entries = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
    old, new = (f"{_uid(journey, day)}@carepath" for day in (first, moved))
    assert set(entries) == {old, new}
    assert str(entries[old]["status"]) == "CANCELLED"
    assert "status" not in entries[new]
    assert entries[new].decoded("dtstart").date() == moved


def _uid(journey: str, day) -> str:
    return str(uuid.uuid5(CALENDAR, f"{journey}:checkup:{day.isoformat()}"))


def _at(system, *days) -> list:
    s = parse(system.config)
    return sorted(checkup_reminder_at(day, s.checkup_days_before, s.checkup_time, ZONE) for day in days)


def _reminders(system, journey) -> list:
    timers = system.db.kernel.timers
    with system.db.session() as session:
        return sorted(aware(row.due_at).astimezone(UTC) for row in session.execute(
            select(timers).where(timers.c.journey_id == journey, timers.c.fired_at.is_(None))))
