"""How long an account waits after failed sign-ins: a few are free, then each doubles the wait."""
from datetime import datetime, timedelta

FREE_FAILURES = 5
FIRST_WAIT_SECONDS = 2
MAX_WAIT_SECONDS = 15 * 60


def wait_after(failures: int) -> timedelta:
    """The lock after the `failures`-th failure in a row (0 while within the free ones)."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    seconds = FIRST_WAIT_SECONDS * 2 ** min(failures - FREE_FAILURES - 1, 20)   # 2, 4, 8 ... seconds
    return timedelta(seconds=min(seconds, MAX_WAIT_SECONDS))


def seconds_left(locked_until: datetime | None, now: datetime) -> float:
    return max(0.0, (locked_until - now).total_seconds()) if locked_until else 0.0
