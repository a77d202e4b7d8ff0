"""Operator work on dead letters: list, inspect, replay, discard (the same kernel calls the API uses)."""
import json

from shared import deadletters
from shared.db import Store


def replay(store: Store, amqp_uri: str, letter_id: int) -> dict:
    """Put a parked message back on its handler's queue, then mark it replayed.

    The handler's inbox makes a replay safe: an event already handled has no
    second effect. A message that fails again is retried, then parked again as a new letter.
    """
    return deadletters.replay(store, amqp_uri, letter_id)


def discard(store: Store, letter_id: int) -> bool:
    return deadletters.resolve(store, letter_id, deadletters.DISCARDED)


def describe(letter: dict) -> str:
    return json.dumps({key: (str(value) if value is not None else None)
                       for key, value in letter.items() if key != "body"})
