"""When reminders are due: pure date arithmetic in the right time zone, no I/O."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PREOP_PREFIX, CHECKUP_PREFIX = "preop_reminder:", "checkup_reminder:"


def preop_reminder_at(preop_check: date, days_before: int, at: time, clinic_tz: str) -> datetime:
    """The reminder of the pre-op check: `days_before` it, at the clinic's wall-clock time."""
    day = preop_check - timedelta(days=days_before)
    return datetime.combine(day, at, ZoneInfo(clinic_tz)).astimezone(UTC)


def checkup_reminder_at(checkup: date, days_before: int, at: time, patient_tz: str) -> datetime:
    """A check-up's reminder: `days_before` it, at a wall-clock time in the patient's own zone."""
    day = checkup - timedelta(days=days_before)
    return datetime.combine(day, at, ZoneInfo(patient_tz)).astimezone(UTC)


def preop_key(journey_id: str) -> str:
    return f"{PREOP_PREFIX}{journey_id}"


def checkup_key(journey_id: str, checkup: date) -> str:
    return f"{CHECKUP_PREFIX}{journey_id}:{checkup.isoformat()}"


def upcoming(moments: dict[str, datetime], now: datetime) -> dict[str, datetime]:
    """Only the reminders still ahead: one whose time has passed is not sent late."""
    return {key: at for key, at in moments.items() if at > now}
