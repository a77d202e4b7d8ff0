"""The clinic clock: "today" and "now" in the clinic's time zone, with a simulated date.

Rules compare dates (surgery lead time, rehabilitation sessions "not in the
future", deposits overdue) on the clinic's calendar, not UTC's: just after
midnight in Amsterdam it is still yesterday in UTC. A journey spans months, so
the demo and the end-to-end tests move time forward by writing an ISO date to
the file named by CAREPATH_CLOCK_FILE; every service reads it. Production never
sets it.
"""
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from nameko.extensions import DependencyProvider

CLOCK_FILE = "CAREPATH_CLOCK_FILE"
CLINIC_TZ = "Europe/Amsterdam"


@dataclass(frozen=True)
class ClinicClock:
    """Today and now at the clinic; both honour the simulated date."""
    timezone: tzinfo = ZoneInfo(CLINIC_TZ)

    def today(self) -> date:
        return today(self.timezone)

    def now(self) -> datetime:
        """An aware instant (UTC): the simulated day at the real time of day, if one is set."""
        real = datetime.now(self.timezone)
        simulated = _simulated()
        if simulated is None:
            return real.astimezone(UTC)
        return datetime.combine(simulated, real.time(), self.timezone).astimezone(UTC)

    def at(self, day: date, clock_time: time) -> datetime:
        """A wall-clock time at the clinic, as an aware UTC instant."""
        return datetime.combine(day, clock_time, self.timezone).astimezone(UTC)


def clinic_clock(config: dict) -> ClinicClock:
    """The clock of the clinic named in config (CLINIC.timezone)."""
    return ClinicClock(ZoneInfo((config.get("CLINIC") or {}).get("timezone") or CLINIC_TZ))


class Clock(DependencyProvider):
    """Injects the ClinicClock (the one place services read "today" and "now")."""

    def setup(self):
        self.clock = clinic_clock(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.clock


def today(tz: tzinfo) -> date:
    """The date in `tz` (services use their ClinicClock, which passes the clinic's zone)."""
    simulated = _simulated()
    if simulated is not None:
        return simulated
    return datetime.now(tz).date()


def _simulated() -> date | None:
    path = os.environ.get(CLOCK_FILE)
    if not path:
        return None
    try:
        return date.fromisoformat(Path(path).read_text().strip())
    except (OSError, ValueError):
        return None  # no simulated date set yet: the real one


def set_simulated(path: str | os.PathLike, day: date) -> None:
    """Move the simulated clock (demo and tests only)."""
    tmp = Path(f"{path}.tmp")
    tmp.write_text(day.isoformat())
    tmp.replace(path)


def aware(moment: datetime | None) -> datetime | None:
    """A stored instant as an aware UTC datetime (SQLite hands them back without a zone)."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def real_now() -> datetime:
    """The real instant, never simulated: for credentials, throttling and the access log, whose
    times must stay true whatever date a demo has moved the clinic to."""
    return datetime.now(UTC)
