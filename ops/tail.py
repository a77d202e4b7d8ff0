"""`carepath tail`: follow every service's events live, through a private queue."""
import json

import pika

from ops.services import SERVICES
from shared.amqp import broker_uris


def tail(amqp_uri: str, journey: str | None = None, event_type: str | None = None) -> int:
    # pika tries each node of a cluster's `a;b;c` in turn, as kombu does.
    connection = pika.BlockingConnection([pika.URLParameters(uri) for uri in broker_uris(amqp_uri)])
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    for spec in SERVICES:
        exchange = f"{spec.name}.events"
        channel.exchange_declare(exchange, exchange_type="topic", durable=True)
        channel.queue_bind(queue, exchange, routing_key=event_type or "#")

    def show(ch, method, properties, body):
        try:
            event = json.loads(body)
        except ValueError:
            print(f"(undecodable message on {method.exchange})", flush=True)
            return
        if journey and event.get("journey_id") != journey:
            return
        print(f"{event.get('occurred_at')} {event.get('producer')}.{event.get('type')} "
              f"journey={event.get('journey_id')} id={event.get('event_id')} "
              f"cause={event.get('causation_id')} {json.dumps(event.get('payload'))}", flush=True)

    channel.basic_consume(queue, show, auto_ack=True)
    try:
        channel.start_consuming()
    except KeyboardInterrupt:
        pass
    finally:
        connection.close()
    return 0
