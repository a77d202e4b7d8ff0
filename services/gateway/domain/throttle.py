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


# A rate limit of `limit` requests per `per_seconds` (the public form, sign-in per address, new links),
# kept as one instant per client, `full_at`: when its allowance is whole again (GCRA, the token bucket
# in one number). Each request moves it `spacing` later; a request is allowed while that leaves it at
# most `per_seconds` ahead of now, so `limit` may come at once and then one every `spacing` seconds.
# The store (PostgreSQL or Redis) applies this in one atomic step by its own clock, so every gateway
# instance counts against the same allowance.
ROUNDING = 1e-3   # seconds: float sums such as 54 + 6 must not refuse the limit-th request


def spacing(limit: int, per_seconds: float) -> float:
    return per_seconds / limit


def taken(full_at: float | None, now: float, limit: int, per_seconds: float) -> float | None:
    """The new `full_at` if a request now is allowed, else None."""
    after = max(full_at or now, now) + spacing(limit, per_seconds)
    return after if after - now <= per_seconds + ROUNDING else None


def wait_for(full_at: float | None, now: float, limit: int, per_seconds: float) -> float:
    """Seconds until a request would be allowed again (0 if it would be now)."""
    after = max(full_at or now, now) + spacing(limit, per_seconds)
    return max(0.0, after - now - per_seconds)
