"""A per-client token bucket for the public endpoints (one gateway process)."""
import time

from nameko.extensions import DependencyProvider


class RateLimiter(DependencyProvider):
    """Injects itself; the buckets live as long as the service container."""

    def setup(self):
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}

    def get_dependency(self, worker_ctx):
        return self

    def wait(self, key: str, client: str, limit: int, per_seconds: float) -> float:
        """0 if this request may go ahead (and counts it), else the seconds until it may."""
        now = time.monotonic()
        tokens, updated = self._buckets.get((key, client), (float(limit), now))
        tokens = min(float(limit), tokens + (now - updated) * limit / per_seconds)
        allowed = tokens >= 1.0
        self._buckets[(key, client)] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 100_000:  # forget idle clients rather than grow without bound
            self._buckets.clear()
        return 0.0 if allowed else (1.0 - tokens) * per_seconds / limit
