"""The check-up schedule after surgery, the channel, and the patient's time zone."""
import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.errors import Invalid

CHANNELS = ("video", "telephone")
VIDEO_APPS = ("facetime", "skype")
_OFFSET = re.compile(r"^\s*(\d+)\s*(week|month|year)s?\s*$")


@dataclass(frozen=True)
class PlannedCheckup:
    label: str          # "6 weeks", "3 months", "year 2": what the patient is told
    due_on: date


@dataclass(frozen=True)
class Plan:
    checkups: list[PlannedCheckup]
    skipped: list[str]  # labels due before the patient flew home: seen in person instead


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def offset_date(surgery_date: date, offset: str) -> date:
    """`offset` like "6 weeks", "3 months" or "2 years" after the surgery date."""
    match = _OFFSET.match(offset)
    if not match:
        raise ValueError(f"not a check-up offset: {offset!r}")
    count, unit = int(match.group(1)), match.group(2)
    if unit == "week":
        return surgery_date + timedelta(weeks=count)
    return add_months(surgery_date, count * (12 if unit == "year" else 1))


def plan_checkups(surgery_date: date, home_from: date, offsets: list[str],
                  yearly_for_years: int) -> Plan:
    """Check-ups at `offsets` after surgery, then one a year for `yearly_for_years` years.

    A check-up falling on or before the day rehabilitation ended is skipped:
    the patient was still at the clinic and was seen in person.
    """
    wanted = [(offset.strip(), offset_date(surgery_date, offset)) for offset in offsets]
    last = max((due for _, due in wanted), default=surgery_date)
    first_year = max(2, (last.year - surgery_date.year) + 1)
    for year in range(first_year, first_year + int(yearly_for_years)):
        wanted.append((f"year {year}", add_months(surgery_date, 12 * year)))
    planned = [PlannedCheckup(label, due) for label, due in sorted(wanted, key=lambda w: w[1])
               if due > home_from]
    skipped = [label for label, due in wanted if due <= home_from]
    return Plan(planned, skipped)


def time_zone_for(country: str | None, by_country: dict[str, str], default: str) -> tuple[str, bool]:
    """The patient's IANA time zone from their country; (zone, assumed?) — assumed when unknown."""
    table = {key.strip().upper(): zone for key, zone in by_country.items()}
    zone = table.get((country or "").strip().upper())
    return (zone, False) if zone else (default, True)


def check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid("unknown time zone",
                      fields={"time_zone": [f"{name!r} is not an IANA time zone"]}) from None
    return name


def check_channel(channel: str, video_app: str | None) -> None:
    if channel not in CHANNELS:
        raise Invalid("unknown channel", fields={"channel": [f"one of {', '.join(CHANNELS)}"]})
    if channel == "telephone" and video_app:
        raise Invalid("a telephone check-up has no video app", fields={"video_app": ["only for video"]})
    if video_app and video_app not in VIDEO_APPS:
        raise Invalid("unknown video app", fields={"video_app": [f"one of {', '.join(VIDEO_APPS)}"]})


def appointment(due_on: date, local_time: str, zone: str, clinic_zone: str) -> tuple[datetime, datetime]:
    """The check-up's start in the patient's own time and in the clinic's."""
    hour, minute = (int(part) for part in local_time.split(":"))
    local = datetime.combine(due_on, time(hour, minute), tzinfo=ZoneInfo(zone))
    return local, local.astimezone(ZoneInfo(clinic_zone))
