"""Declares every handler's queue, and its delay queues, before anything is published.

RabbitMQ drops an event published to an exchange with no bound queue. The
run command (and the test fixtures) declare the queues of every service's
event handlers first, with the names and bindings nameko itself uses.

A failing handler's message waits out its next retry in RabbitMQ, not in a
worker: it is republished, with its handler's queue as routing key, to a delay
queue of its service with a per-message `expiration`; when that runs out the
broker dead-letters it (default exchange, the same routing key) straight back to
the handler. RabbitMQ expires messages only from the head of a queue, so each
step of the schedule has a delay queue of its own (`<service>.retry-<n>`, behind
a fanout exchange of that name): messages in one queue then differ in delay only
by the jitter, and a long wait never holds up a short one behind it. One set per
service, not per handler: 9 steps x 9 services are 81 quorum queues, where one
per handler would be 1,206 (on this 2-core machine, declaring those took 18 s and
left the broker refusing connections for minutes).

Handler and delay queues are quorum queues: replicated by Raft across the broker
cluster, so a message survives the loss of a node (a classic queue's messages
live on one node). RabbitMQ 3.10 expires per-message TTLs in quorum queues too,
and only a quorum queue dead-letters at least once (the expired message leaves
the delay queue once the handler's queue has confirmed it), which is why the
delay queues are quorum as well. A handler queue hands a message out at most
DELIVERY_LIMIT times: our retries republish and ack, so only a message that
keeps killing its consumer (or its connection) gets there, and it is then
dead-lettered to the service's `<service>.poisoned` queue rather than dropped.
A service's RPC request queue (`rpc-<service>`) is a quorum queue too, so calls go on when
a node goes; a repeated command is answered from the commands table. Reply queues stay
nameko's own: classic, exclusive, gone with their caller's connection.
"""
import inspect
import random
from dataclasses import dataclass

from amqp.exceptions import PreconditionFailed
from kombu import Connection, Exchange, Queue
from nameko.events import EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.rpc import get_rpc_exchange

from shared.config import load_config, section

DEFAULT_DELAYS = (1, 5, 30, 120, 600, 1800, 3600, 7200, 14400)
# Deliveries of one message before the broker gives up on it. Not a setting: every process that
# declares a queue must give the same arguments, or RabbitMQ refuses the declaration.
DELIVERY_LIMIT = 20
QUORUM = {"x-queue-type": "quorum"}
# At-least-once dead-lettering needs reject-publish overflow; no queue here has a length limit.
AT_LEAST_ONCE = {"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}


@dataclass(frozen=True)
class RetrySchedule:
    """The waits (seconds) before each retry of a failing handler, and their ±jitter fraction."""
    delays: tuple[float, ...]
    jitter: float = 0.2

    @property
    def steps(self) -> int:
        return len(self.delays)

    def delay(self, step: int) -> float:
        """The wait before retry `step` (0-based), jittered."""
        return self.delays[step] * random.uniform(1 - self.jitter, 1 + self.jitter)


def retry_schedule(config: dict) -> RetrySchedule:
    """EVENT_RETRY: `delays_seconds` (a list, or "1,5,30" from the environment) and `jitter`."""
    retry = section(config, "EVENT_RETRY", delays_seconds=None, jitter=0.2)
    delays = retry["delays_seconds"]
    if delays is None:
        delays = DEFAULT_DELAYS
    if isinstance(delays, str):
        delays = [part for part in delays.replace(" ", "").split(",") if part]
    elif isinstance(delays, int | float):
        delays = [delays]
    schedule = RetrySchedule(tuple(float(d) for d in delays), float(retry["jitter"]))
    if any(d < 0 for d in schedule.delays) or not 0 <= schedule.jitter < 1:
        raise ValueError(f"EVENT_RETRY: delays must be >= 0 and jitter in [0, 1): {retry}")
    return schedule


def replicated() -> bool:
    """Whether the kernel's queues are quorum queues (config BROKER.queue_type, the default) or classic."""
    kind = section(load_config(), "BROKER", queue_type="quorum")["queue_type"]
    if kind not in ("quorum", "classic"):
        raise ValueError(f"BROKER.queue_type must be quorum or classic, not {kind!r}")
    return kind == "quorum"


def _quorum(**quorum_only) -> dict:
    """The arguments that make a queue a quorum queue, with those only a quorum queue takes; none for
    a classic one."""
    return {**QUORUM, **quorum_only} if replicated() else {}


def delay_queue(service_name: str, step: int) -> Queue:
    """Where a message of the service's handlers waits before retry `step` (0-based). Published to
    its exchange with the handler's queue as routing key, it goes back there when it expires."""
    name = f"{service_name}.retry-{step + 1}"
    return Queue(name, exchange=Exchange(name, type="fanout", durable=True), routing_key="", durable=True,
                 queue_arguments={**_quorum(**AT_LEAST_ONCE), "x-dead-letter-exchange": ""})


def poisoned_queue(service_name: str) -> Queue:
    """Where the broker puts a message of the service's handlers delivered DELIVERY_LIMIT times."""
    return Queue(f"{service_name}.poisoned", durable=True, queue_arguments=_quorum() or None)


def handler_queue(source_service: str, event_type: str, service_name: str, method_name: str,
                  quorum: bool = True) -> Queue:
    """A handler's queue with nameko's name and binding, as a quorum queue with a delivery limit
    (or, for a plain nameko @event_handler, as the classic queue nameko declares)."""
    exchange = Exchange(f"{source_service}.events", type="topic", durable=True)
    arguments = {**_quorum(**AT_LEAST_ONCE, **{"x-delivery-limit": DELIVERY_LIMIT}),
                 "x-dead-letter-exchange": "",
                 "x-dead-letter-routing-key": poisoned_queue(service_name).name} if quorum else None
    return Queue(f"evt-{source_service}-{event_type}--{service_name}.{method_name}", exchange=exchange,
                 routing_key=event_type, durable=True, queue_arguments=arguments)


def rpc_queue(service_name: str, config: dict | None = None) -> Queue:
    """Nameko's RPC request queue of the service, as a quorum queue."""
    return Queue(f"rpc-{service_name}", exchange=get_rpc_exchange(config or {}),
                 routing_key=f"{service_name}.*", durable=True,
                 queue_arguments=_quorum(**{"x-delivery-limit": DELIVERY_LIMIT}) or None)


def handler_queues(service_cls) -> list[Queue]:
    # The kernel's handlers say they consume a quorum queue (shared/handlers.py).
    return [handler_queue(entrypoint.source_service, entrypoint.event_type, service_cls.name, method_name,
                          quorum=getattr(entrypoint, "queue_type", "classic") == "quorum")
            for method_name, method in inspect.getmembers(service_cls, inspect.isfunction)
            for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ())
            if isinstance(entrypoint, EventHandler)]


def delay_queues(service_cls, schedule: RetrySchedule | None = None) -> list[Queue]:
    """The service's delay queues, one per step of the schedule (none for a service without handlers)."""
    schedule = schedule or retry_schedule(load_config())
    if not handler_queues(service_cls):
        return []
    return [delay_queue(service_cls.name, step) for step in range(schedule.steps)]


def declare(amqp_uri: str, service_classes, schedule: RetrySchedule | None = None,
            with_delay_queues: bool = True) -> list[str]:
    """Declare the exchanges, handler queues, bindings and delay queues; returns the handler queues.

    `schedule` defaults to config.yaml's; a handler also declares a delay queue before its
    first use, so a process running a longer schedule never publishes to a missing queue (and a
    test, which starts services by the hundred, may leave them to that).
    """
    schedule = schedule or retry_schedule(load_config())
    # The poisoned queue first: a dead-lettered message with no queue to go to is dropped.
    queues = [queue for service_cls in service_classes for queue in
              ([poisoned_queue(service_cls.name)] if handler_queues(service_cls) else [])
              + handler_queues(service_cls)
              + (delay_queues(service_cls, schedule) if with_delay_queues else [])]
    with Connection(amqp_uri, connect_timeout=5) as conn:
        channel = conn.channel()
        # Without waiting for each answer (hundreds of queues); the broker closes the channel on a
        # refused one, and the last declaration, which waits, raises that.
        for queue in queues[:-1]:
            queue(channel).declare(nowait=True)
        if queues:
            try:
                queues[-1](channel).declare()
            except PreconditionFailed as exc:
                raise PreconditionFailed(f"{exc}; a queue declared before quorum queues is moved "
                                         "with `python -m ops migrate-queues`") from exc
    return [queue.name for service_cls in service_classes for queue in handler_queues(service_cls)]
