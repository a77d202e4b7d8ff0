"""Handing an event to another service durably, now: a publisher confirm instead of an RPC wait.

The gateway takes a provider's webhook, checks its signature and hands the raw event over as
a kernel event on its own exchange (`gateway.events`), to the durable queue of the one service
that consumes it (`@handles("gateway", ...)`, through its inbox). `hand_over` returns once
RabbitMQ has confirmed the message, which it does after the queue has it on disk: the caller's
2xx then means stored, even while the consumer is down. A message no queue took (the consumer's
queue was never declared) or the broker did not confirm is `Unavailable` (503): the provider
sends it again, and the consumer's inbox makes a repeat one effect.

Many requests hand over at once; one green thread publishes whatever has gathered as one batch
and collects the broker's confirms for all of it (`shared/amqp.py`), so a burst costs the broker
one round of confirms, not one per webhook.

The event id is derived from the provider's own event id (`handoff_id`): every delivery of a
provider event is the same kernel event, and the provider's id (whatever it holds) never
reaches a log line, which names only the derived id.
"""
import json
import logging
import uuid
from dataclasses import replace

import eventlet
from eventlet.event import Event as Waiter
from eventlet.queue import LightQueue
from nameko.extensions import DependencyProvider

from shared.amqp import ConfirmedPublisher
from shared.errors import Unavailable
from shared.events import Event, new_event, to_wire
from shared.outbox import exchange_for

log = logging.getLogger(__name__)

_NAMESPACE = uuid.UUID("5b0c6a55-0c8e-4d57-9a53-2f8d4c1f7e10")
# The gateway does not know a webhook's journey; its consumer finds it.
NO_JOURNEY = "00000000-0000-0000-0000-000000000000"
BATCH_SIZE = 500
RETRY_AFTER_SECONDS = 5


def handoff_id(event_type: str, provider_event_id: str) -> str:
    """The kernel event id of a provider event: the same for every delivery of it."""
    return str(uuid.uuid5(_NAMESPACE, f"{event_type}:{provider_event_id}"))


def handoff_event(producer: str, contract_cls, provider_event: dict, *,
                  correlation_id: str | None = None) -> Event:
    """The kernel event carrying a verified provider event (its id derived from the provider's)."""
    event = new_event(producer, contract_cls, {"event": provider_event}, NO_JOURNEY,
                      correlation_id=correlation_id)
    event_id = handoff_id(event.type, provider_event["id"])
    return replace(event, event_id=event_id, correlation_id=correlation_id or event_id)


class Handoff(DependencyProvider):
    """Injects itself: `hand_over(event)` returns once the broker holds the event, else raises
    Unavailable. Config HANDOFF: `confirm_timeout_seconds` (5)."""

    def setup(self):
        conf = self.container.config.get("HANDOFF") or {}
        self._timeout = float(conf.get("confirm_timeout_seconds", 5))
        self._publisher = ConfirmedPublisher(self.container.config["AMQP_URI"], confirm_timeout=self._timeout,
                                             mandatory=True)
        self._exchange = exchange_for(self.container.service_name)
        self._pending = LightQueue()
        self._thread = None

    def start(self):
        self._thread = eventlet.spawn(self._run)

    def stop(self):
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        self._publisher.close()

    kill = stop

    def get_dependency(self, worker_ctx):
        return self

    def hand_over(self, event: Event) -> None:
        """Publish the event with a confirm; Unavailable if the broker did not take it."""
        waiter = Waiter()
        self._pending.put((event, waiter))
        with eventlet.Timeout(self._timeout * 2, False):
            if waiter.wait():
                return
        raise Unavailable("The event could not be stored just now; nothing was kept. Send it again.",
                          retry_after_seconds=RETRY_AFTER_SECONDS)

    def _run(self) -> None:
        while True:
            batch = [self._pending.get()]
            while len(batch) < BATCH_SIZE and not self._pending.empty():
                batch.append(self._pending.get_nowait())
            try:
                returned = self._publisher.publish_batch([
                    (self._exchange, event.type, json.dumps(to_wire(event)).encode(), {}, event.event_id)
                    for event, _ in batch])
            except Exception as exc:  # broker away or refusing: every caller of this batch hears so
                log.warning("could not hand events over (%s); answering unavailable", type(exc).__name__)
                returned = {event.event_id for event, _ in batch}
            for event, waiter in batch:
                if event.event_id in returned:
                    log.warning("no queue took a handed-over event", extra={
                        "event_id": event.event_id, "event_type": event.type})
                waiter.send(event.event_id not in returned)
