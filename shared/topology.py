"""Declares every handler's queue before anything is published.

RabbitMQ drops an event published to an exchange with no bound queue. The
run command (and the test fixtures) declare the queues of every service's
event handlers first, with the names and bindings nameko itself uses.
"""
import inspect

from kombu import Connection, Exchange, Queue
from nameko.events import EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR


def handler_queues(service_cls) -> list[Queue]:
    queues = []
    for method_name, method in inspect.getmembers(service_cls, inspect.isfunction):
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, EventHandler):
                exchange = Exchange(f"{entrypoint.source_service}.events", type="topic",
                                    durable=True)
                name = (f"evt-{entrypoint.source_service}-{entrypoint.event_type}"
                        f"--{service_cls.name}.{method_name}")
                queues.append(Queue(name, exchange=exchange, routing_key=entrypoint.event_type,
                                    durable=True))
    return queues


def declare(amqp_uri: str, service_classes) -> list[str]:
    """Declare the exchanges, queues and bindings; returns the queue names."""
    names = []
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        for service_cls in service_classes:
            for queue in handler_queues(service_cls):
                queue(channel).declare()
                names.append(queue.name)
    return names
