"""How the agency is retried: a refused or unreachable request waits longer each time, then fails."""
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Tries per agency request, and the backoff between them (seconds)."""
    attempts: int = 5
    first_delay: float = 5.0
    factor: float = 3.0
    max_delay: float = 600.0

    def delay(self, attempt: int) -> float:
        return retry_delay(attempt, self.first_delay, self.factor, self.max_delay)


def retry_delay(attempt: int, first: float, factor: float, most: float) -> float:
    """Seconds to wait before try number `attempt + 1` (exponential backoff, capped)."""
    return min(first * factor ** max(attempt - 1, 0), most)
