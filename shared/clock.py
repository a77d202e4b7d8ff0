"""Today's date for the clinic's rules, with a simulated clock for demos and tests.

Rules compare dates (surgery lead time, rehabilitation sessions "not in the
future", deposits overdue). A journey spans months, so the demo and the
end-to-end tests move time forward by writing an ISO date to the file named
by CAREPATH_CLOCK_FILE; every service reads it. Production never sets it.
"""
import os
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

CLOCK_FILE = "CAREPATH_CLOCK_FILE"


def today(tz: tzinfo | None = None) -> date:
    simulated = _simulated()
    if simulated is not None:
        return simulated
    return datetime.now(tz or UTC).date()


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
