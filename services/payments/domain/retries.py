"""How a refund call to the provider is retried: each failure waits longer, the last one fails it."""
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Tries per refund part, and the backoff between them (seconds)."""
    attempts: int = 5
    first_delay: float = 30.0
    factor: float = 3.0
    max_delay: float = 3600.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after try number `attempt` (exponential backoff, capped)."""
        return min(self.first_delay * self.factor ** max(attempt - 1, 0), self.max_delay)

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.attempts
