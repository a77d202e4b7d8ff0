"""What the agency answers a request: accepted, refused (it will not do it) or unavailable (later)."""
from dataclasses import dataclass, field

ACCEPTED, REFUSED, UNAVAILABLE = "accepted", "refused", "unavailable"
FAILED_TASK = {"book": "booking_failed", "change": "change_failed", "cancel": "cancellation_failed"}


@dataclass(frozen=True)
class Reply:
    outcome: str
    body: dict = field(default_factory=dict)
    error: str | None = None


def reply_without_order(action: str) -> Reply:
    """An order the agency never made: cancelled as is, changed never."""
    if action == "cancel":
        return Reply(ACCEPTED, {"status": "cancelled", "fee_cents": 0})
    return Reply(REFUSED, error="no order at the agency")
