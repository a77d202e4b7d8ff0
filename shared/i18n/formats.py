"""Dates, times and amounts for a reader's locale (Babel), shared by the emails and the portal."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_location
from babel.numbers import format_currency


def as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def as_instant(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def day(value, language: str) -> str:
    """"Tuesday, 3 November 2026" in the reader's language."""
    return format_date(as_date(value), format="full", locale=language)


def moment(value, zone: str, language: str) -> str:
    """A date and time in `zone`, with the zone's city: "Tuesday, 3 November 2026, 10:00 (Warsaw)"."""
    instant = as_instant(value).astimezone(ZoneInfo(zone))
    where = get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)
    return f"{day(instant, language)}, {format_time(instant, format='short', locale=language)} ({where})"


def money(cents, currency: str | None, language: str) -> str:
    return format_currency(int(cents) / 100, currency or "EUR", locale=language)
