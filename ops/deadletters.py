"""Operator work on dead letters: list, inspect, replay (over AMQP with pika), discard."""
import json

import pika

from shared import deadletters
from shared.db import Store


def replay(store: Store, amqp_uri: str, letter_id: int) -> dict:
    """Put a parked message back on its handler's queue, then mark it replayed.

    The handler's inbox makes a replay safe: an event already handled has no
    second effect. A message that fails again is parked again as a new letter.
    """
    letter = deadletters.get_letter(store, letter_id)
    if letter is None:
        raise LookupError(f"no dead letter {letter_id}")
    if letter["status"] != deadletters.PARKED:
        raise ValueError(f"dead letter {letter_id} is {letter['status']}, not parked")
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            exchange="", routing_key=letter["queue"], body=letter["body"].encode(),
            properties=pika.BasicProperties(content_type="application/json", content_encoding="utf-8",
                                            delivery_mode=2, headers={"x-replay-of": letter_id}),
            mandatory=True)
    finally:
        connection.close()
    deadletters.resolve(store, letter_id, deadletters.REPLAYED)
    return letter


def discard(store: Store, letter_id: int) -> bool:
    return deadletters.resolve(store, letter_id, deadletters.DISCARDED)


def describe(letter: dict) -> str:
    return json.dumps({key: (str(value) if value is not None else None)
                       for key, value in letter.items() if key != "body"})
