"""Moves a service's classic handler, delay and RPC queues to quorum queues without losing a message.

RabbitMQ cannot change a queue's type: the queue is emptied into a temporary quorum queue, deleted,
declared again as a quorum queue and filled back. The earlier release also kept delay queues per
handler queue (`<Q>.retry-<n>`, dead-lettering to Q); they now are per service
(`<service>.retry-<n>`), so the old ones are emptied into the new ones and deleted. For a handler
queue Q with old delay queues D1..Dn:

1. `Q.migrating` (quorum) is bound like Q, and Q unbound: new events land in the temporary queue.
2. Each Di moves to `Di.migrating`, whose expired messages go to `Q.migrating`; Di is deleted.
   No delay queue then dead-letters to Q, so Q can be deleted without a message dropped on its way.
3. Q moves to `Q.migrating`, is deleted (only if empty), declared quorum and bound again.
4. Each `Di.migrating` moves to the service's delay queue of that step, to come back to Q.
5. `Q.migrating` is unbound and moves to Q, then is deleted.

Every message is republished with publisher confirms and acked only once confirmed: a crash between
the two leaves a copy in both queues, which the handler's inbox treats as the repeat it is. Each step
is safe to run again, so an interrupted migration is finished by running the command again. The
queue's consumers (its service) must be stopped; publishers may keep running. A waiting retry starts
its wait again from the move.
"""
import inspect
import logging
import time
from collections.abc import Callable

import amqp
from kombu import Connection, Queue
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from shared import topology
from shared.consumers import OutageTolerantRpc

log = logging.getLogger(__name__)
TEMP_SUFFIX = ".migrating"
SETTLE_SECONDS = 0.2


class ConsumersAttached(Exception):
    """The queue still has consumers: its service must be stopped before it is migrated."""


class Broker:
    """One connection and a channel with publisher confirms; probes run on channels of their own,
    as a refused declaration closes the channel it was made on."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.channel = conn.channel()

    def _probe(self, action: Callable):
        channel = self.conn.channel()
        try:
            return action(channel)
        except (amqp.exceptions.NotFound, amqp.exceptions.PreconditionFailed) as exc:
            return exc
        finally:
            if channel.is_open:
                channel.close()

    def depth(self, name: str) -> tuple[int, int] | None:
        """(messages, consumers) of the queue, or None when there is no such queue."""
        found = self._probe(lambda channel: channel.queue_declare(name, passive=True))
        return None if isinstance(found, Exception) else (found.message_count, found.consumer_count)

    def is_classic(self, queue: Queue) -> bool:
        """An existing queue that refuses our quorum declaration (its type cannot change)."""
        refused = self._probe(lambda channel: queue(channel).declare())
        return isinstance(refused, amqp.exceptions.PreconditionFailed)

    def declare(self, queue: Queue) -> None:
        queue(self.channel).declare()

    def unbind(self, queue: Queue) -> None:
        self.channel.queue_unbind(queue.name, queue.exchange.name, queue.routing_key)

    def move(self, source: str, target: str, exchange: str = "") -> int:
        """Every message of `source` to `target` (a queue, or a routing key on `exchange`), each
        confirmed before it is acked.

        On a channel of its own: RabbitMQ 3.10 keeps, per channel, the type of each queue it has
        used, and a channel that read the classic Q crashes publishing to the quorum Q of that name.
        """
        moved = 0
        channel = self.conn.channel()
        try:
            while (message := channel.basic_get(source, no_ack=False)) is not None:
                properties = dict(message.properties)
                headers = dict(properties.pop("application_headers", None) or {})
                headers.pop("x-delivery-count", None)   # the broker's count starts again in the target
                body = message.body   # py-amqp decodes a body that names its encoding
                if isinstance(body, str):
                    body = body.encode(properties.get("content_encoding") or "utf-8")
                channel.basic_publish_confirm(amqp.Message(body, application_headers=headers, **properties),
                                              exchange=exchange, routing_key=target)
                channel.basic_ack(message.delivery_tag)
                moved += 1
        finally:
            channel.close()
        return moved

    def drain_and_delete(self, source: str, target: str, classic: bool, exchange: str = "") -> int:
        """Move `source` into `target` and delete it, moving again what slipped in meanwhile.

        A classic queue is deleted only if empty; a quorum queue cannot be (RabbitMQ refuses
        if-empty for it), so it is deleted once nothing routes to it and it stays empty a moment.
        """
        moved = 0
        while self.depth(source) is not None:
            moved += self.move(source, target, exchange)
            if classic:
                deleted = self._probe(lambda channel: channel.queue_delete(source, if_empty=True))
                if not isinstance(deleted, Exception):
                    break
                continue
            time.sleep(SETTLE_SECONDS)   # an enqueue accepted just before the unbind lands
            if self.depth(source) == (0, 0):
                self.channel.queue_delete(source)
                break
        return moved


def temporary(queue: Queue, dead_letter_to: str | None = None) -> Queue:
    arguments = dict(queue.queue_arguments or topology.QUORUM)
    if dead_letter_to:
        arguments.update(topology.AT_LEAST_ONCE, **{"x-dead-letter-exchange": "",
                                                    "x-dead-letter-routing-key": dead_letter_to})
    return Queue(queue.name + TEMP_SUFFIX, exchange=queue.exchange, routing_key=queue.routing_key,
                 durable=True, queue_arguments=arguments)


def old_delay_queues(queue: Queue, steps: int) -> list[Queue]:
    """The earlier release's delay queues of a handler queue (only their names matter here)."""
    return [Queue(f"{queue.name}.retry-{step + 1}") for step in range(steps)]


def needs_migrating(broker: Broker, queue: Queue) -> bool:
    """A classic queue, or a migration left unfinished (its temporary queue is deleted last).
    Old delay queues outlive neither: they are emptied before Q is declared quorum."""
    if broker.depth(queue.name + TEMP_SUFFIX) is not None:
        return True
    return broker.depth(queue.name) is not None and broker.is_classic(queue)


def migrate_queue(broker: Broker, queue: Queue, old_delays: list[Queue] = (),
                  delays: list[Queue] = ()) -> int | None:
    """Migrate a queue (and empty a handler queue's old delay queues into `delays`, the service's);
    the messages moved, or None if there was nothing to do."""
    if not needs_migrating(broker, queue):
        return None
    found = broker.depth(queue.name)
    if found and found[1]:
        raise ConsumersAttached(f"{queue.name} has {found[1]} consumer(s): stop its service first")
    temp = temporary(queue)
    broker.declare(temp)                                        # 1. new events wait in the temporary
    if found is not None:
        broker.unbind(queue)
    moved = 0
    waiting = []
    for old, delay in zip(old_delays, delays, strict=True):     # 2. delay queues, away from Q
        old_temp = temporary(old, dead_letter_to=temp.name)
        if broker.depth(old.name) is not None:
            broker.declare(old_temp)
            moved += broker.drain_and_delete(old.name, old_temp.name, classic=True)
        if broker.depth(old_temp.name) is not None:
            waiting.append((delay, old_temp))
    if found is not None and broker.is_classic(queue):          # 3. Q itself
        moved += broker.drain_and_delete(queue.name, temp.name, classic=True)
    broker.declare(queue)
    for delay, old_temp in waiting:                             # 4. waiting retries, to the service's
        broker.declare(delay)
        moved += broker.drain_and_delete(old_temp.name, queue.name, classic=False,
                                         exchange=delay.exchange.name)
    broker.unbind(temp)                                         # 5. the temporary queue back into Q
    moved += broker.drain_and_delete(temp.name, queue.name, classic=False)
    return moved


def serves_rpc(service_cls) -> bool:
    """Whether the service has the kernel's RPC entrypoints, whose request queue is quorum."""
    return any(isinstance(entrypoint, OutageTolerantRpc)
               for _, method in inspect.getmembers(service_cls, inspect.isfunction)
               for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()))


def migrate(amqp_uri: str, service_classes, schedule: topology.RetrySchedule | None = None,
            report: Callable[[str], None] = print) -> int:
    """Migrate every handler queue of the services; returns how many queues were migrated (none when
    the kernel's queues are configured classic, BROKER.queue_type)."""
    migrated = 0
    if not topology.replicated():
        return migrated
    with Connection(amqp_uri, connect_timeout=30) as conn:
        broker = Broker(conn)
        for service_cls in service_classes:
            schedule = schedule or topology.retry_schedule(topology.load_config())
            delays = topology.delay_queues(service_cls, schedule)
            queues = [(queue, old_delay_queues(queue, schedule.steps))
                      for queue in topology.handler_queues(service_cls) if queue.queue_arguments]
            if queues:
                broker.declare(topology.poisoned_queue(service_cls.name))
            if serves_rpc(service_cls):
                queues.append((topology.rpc_queue(service_cls.name), []))
            for queue, old_delays in queues:
                moved = migrate_queue(broker, queue, old_delays, delays if old_delays else [])
                if moved is None:
                    continue
                migrated += 1
                report(f"{queue.name}: now a quorum queue ({moved} message(s) moved)")
    return migrated
