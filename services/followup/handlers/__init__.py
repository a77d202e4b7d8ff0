"""Use cases of the follow-up service, one module per area; each takes a unit of work."""
from datetime import UTC, date, datetime
from uuid import uuid4


def new_id() -> str:
    return str(uuid4())


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()
