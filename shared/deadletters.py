"""Dead letters: messages a consumer gave up on, parked with their error.

An administrator lists them (API or ops CLI) and, after a fix, replays them:
the raw message goes back onto its handler's queue, where the inbox still makes
sure its effect happens once. A letter is shown by its envelope and error only,
never its payload.
"""
import json
from datetime import UTC, datetime

from nameko.amqp.publish import Publisher
from sqlalchemy import func, insert, select, update

PARKED, REPLAYED, DISCARDED = "parked", "replayed", "discarded"
STATUSES = (PARKED, REPLAYED, DISCARDED)
# What a letter shows of its message: the envelope (ids, type, times), never the payload.
ENVELOPE = ("type", "version", "occurred_at", "producer", "causation_id", "correlation_id", "actor")


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


def count_parked(store) -> int:
    table = store.kernel.dead_letters
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(table).where(table.c.status == PARKED))


def get_letter(store, letter_id: int) -> dict | None:
    table = store.kernel.dead_letters
    with store.session() as session:
        row = session.execute(select(table).where(table.c.id == letter_id)).first()
    return dict(row._mapping) if row else None


def envelope(letter: dict) -> dict:
    """The letter without its body, plus the envelope fields the body carries (if it parses)."""
    shown = {key: value for key, value in letter.items() if key != "body"}
    try:
        body = json.loads(letter["body"])
    except (TypeError, ValueError):
        body = None
    shown["envelope"] = {key: body.get(key) for key in ENVELOPE} if isinstance(body, dict) else None
    return shown


def resolve(store, letter_id: int, status: str, *, was: str = PARKED) -> bool:
    """Mark a parked letter replayed or discarded; False if it was not parked."""
    table = store.kernel.dead_letters
    with store.session() as session:
        result = session.execute(
            update(table).where(table.c.id == letter_id, table.c.status == was)
            .values(status=status, resolved_at=None if status == PARKED else datetime.now(UTC)))
    return result.rowcount == 1


def replay(store, amqp_uri: str, letter_id: int) -> dict:
    """Put a parked message back on its handler's queue (publisher confirms); returns the letter.

    The letter is marked replayed first, so two replays never both publish; if publishing
    fails it is parked again. LookupError: no such letter; ValueError: it is not parked.
    A message that fails again goes through the retry schedule, and may be parked anew.
    """
    letter = get_letter(store, letter_id)
    if letter is None:
        raise LookupError(f"no dead letter {letter_id}")
    if not resolve(store, letter_id, REPLAYED):
        raise ValueError(f"dead letter {letter_id} is {get_letter(store, letter_id)['status']}, not parked")
    try:
        Publisher(amqp_uri, mandatory=True).publish(
            letter["body"].encode(), exchange="", routing_key=letter["queue"],
            content_type="application/json", content_encoding="utf-8",
            headers={"x-replay-of": letter_id})
    except Exception:
        resolve(store, letter_id, PARKED, was=REPLAYED)
        raise
    return get_letter(store, letter_id)
