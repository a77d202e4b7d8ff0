"""Calendar files (.ics, RFC 5545) of the portal's dates, built with `icalendar`.

An entry's UID is stable for the journey and what the date is (not the date itself), so a calendar
that imported the file once updates the entry when the date moves instead of adding a second one.
"""
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from shared.clock import real_now

PORTAL = uuid.UUID("5b0e7a52-3c1d-4f7e-9a61-2d8c4b9e0f13")


@dataclass(frozen=True)
class Entry:
    key: str               # what the date is, stable: "surgery", "checkup:<id>", a label
    summary: str           # in the reader's language
    on: date | None = None                # an all-day date
    start: datetime | None = None         # or a time (aware)
    minutes: int = 30
    description: str = ""


def occurrence_keys(kinds: list[str]) -> list[str]:
    """A key per date from what each date is, in date order: a kind that repeats (every check-up) is
    keyed by its place among its kind, so each has its own entry and a moved one updates the same."""
    seen: dict[str, int] = {}
    keys = []
    for kind in kinds:
        seen[kind] = seen.get(kind, 0) + 1
        keys.append(kind if seen[kind] == 1 else f"{kind}#{seen[kind]}")
    return keys


def ics(journey_id: str, entries: list[Entry]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Carepath//Patient portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for entry in entries:
        event = Event()
        event.add("uid", f"{uuid.uuid5(PORTAL, f'{journey_id}:{entry.key}')}@carepath")
        event.add("dtstamp", real_now())
        event.add("summary", entry.summary)
        if entry.start is not None:   # in UTC: every calendar shows it in its own zone
            start = entry.start.astimezone(UTC)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=entry.minutes))
        else:
            event.add("dtstart", entry.on)
            event.add("dtend", entry.on + timedelta(days=1))
        if entry.description:
            event.add("description", entry.description)
        calendar.add_component(event)
    return calendar.to_ical()
