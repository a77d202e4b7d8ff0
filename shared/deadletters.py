"""Dead letters: messages a consumer gave up on, parked with their error.

An operator lists them and, after a fix, replays them (ops CLI): the raw
message goes back onto its handler's queue, where the inbox still makes sure
its effect happens once.
"""
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

PARKED, REPLAYED, DISCARDED = "parked", "replayed", "discarded"


def park(store, *, consumer: str, queue: str, body: str, error: str, attempts: int,
         event_id=None, event_type=None, journey_id=None) -> None:
    with store.session() as session:
        session.execute(insert(store.kernel.dead_letters).values(
            consumer=consumer, queue=queue, body=body, error=error[:4000], attempts=attempts,
            event_id=event_id, event_type=event_type, journey_id=journey_id,
            status=PARKED, parked_at=datetime.now(UTC)))


def list_letters(store, status: str | None = PARKED) -> list[dict]:
    table = store.kernel.dead_letters
    query = select(table).order_by(table.c.id)
    if status:
        query = query.where(table.c.status == status)
    with store.session() as session:
        return [dict(row._mapping) for row in session.execute(query)]


def get_letter(store, letter_id: int) -> dict | None:
    table = store.kernel.dead_letters
    with store.session() as session:
        row = session.execute(select(table).where(table.c.id == letter_id)).first()
    return dict(row._mapping) if row else None


def resolve(store, letter_id: int, status: str) -> bool:
    """Mark a parked letter replayed or discarded; False if it was not parked."""
    table = store.kernel.dead_letters
    with store.session() as session:
        result = session.execute(
            update(table).where(table.c.id == letter_id, table.c.status == PARKED)
            .values(status=status, resolved_at=datetime.now(UTC)))
    return result.rowcount == 1
