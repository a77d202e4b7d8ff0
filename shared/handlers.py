"""`handles(source, event_type)`: nameko's event handler, made reliable.

Nameko acks an event even when its handler raised. This entrypoint:
- parses the envelope and checks the payload against its contract; a
  malformed or unknown-version message is parked, and consuming goes on;
- skips events this consumer has already handled (the inbox);
- retries a failing handler with exponential backoff, then parks it with
  its error for an operator to replay;
- acks only once the outcome (handled, or parked) is stored.
"""
import logging
import traceback
from functools import partial

import eventlet
from nameko.events import SERVICE_POOL, EventHandler

from shared import deadletters
from shared.config import section
from shared.consumers import OutageTolerantQueueConsumer
from shared.db import Database, DuplicateEvent
from shared.events import MalformedEvent, from_wire

log = logging.getLogger(__name__)


class ParkingQueueConsumer(OutageTolerantQueueConsumer):
    """Hands messages that cannot even be decoded to their entrypoint to park."""

    def get_consumers(self, consumer_cls, channel):
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = partial(self._on_decode_error, provider)
        return consumers

    def _on_decode_error(self, provider, message, exc):
        self.container.spawn_managed_thread(
            partial(provider.park_undecodable, message, exc), identifier="park")


class ReliableEventHandler(EventHandler):
    queue_consumer = ParkingQueueConsumer()

    def __init__(self, source_service: str, event_type: str, **kwargs):
        super().__init__(source_service, event_type, handler_type=SERVICE_POOL,
                         reliable_delivery=True, requeue_on_error=False,
                         expected_exceptions=(DuplicateEvent,), **kwargs)

    @property
    def consumer_name(self) -> str:
        return f"{self.container.service_name}.{self.method_name}"

    @property
    def _store(self):
        for dependency in self.container.dependencies:
            if isinstance(dependency, Database):
                return dependency.store
        raise RuntimeError(f"{self.container.service_name} needs a Database dependency")

    def setup(self):
        super().setup()
        retry = section(self.container.config, "EVENT_RETRY", attempts=4,
                        first_delay_seconds=0.2, backoff_factor=4, max_delay_seconds=30)
        self.attempts = int(retry["attempts"])
        self.first_delay = float(retry["first_delay_seconds"])
        self.factor = float(retry["backoff_factor"])
        self.max_delay = float(retry["max_delay_seconds"])

    def handle_message(self, body, message):
        try:
            event = from_wire(body)
        except MalformedEvent as exc:
            self._park(message, f"MalformedEvent: {exc}", 0)
            return
        self._spawn(event, message, 1)

    def park_undecodable(self, message, exc):
        self._park(message, f"undecodable message: {exc}", 0)

    def _spawn(self, event, message, attempt):
        # First deliveries rely on the unit of work's inbox insert to spot a
        # duplicate; redeliveries and retries check first (the handler may not
        # have used a unit of work at all).
        redelivered = message.delivery_info.get("redelivered") or attempt > 1
        if redelivered and self._store.already_handled(self.consumer_name, event.event_id):
            self.queue_consumer.ack_message(message)
            return
        context_data = self.unpack_message_headers(message)
        context_data["correlation_id"] = event.correlation_id
        self.container.spawn_worker(
            self, (event,), {}, context_data=context_data,
            handle_result=partial(self._handle_result, message, event, attempt))

    def _handle_result(self, message, event, attempt, worker_ctx, result=None, exc_info=None):
        if exc_info is not None and issubclass(exc_info[0], DuplicateEvent):
            self.queue_consumer.ack_message(message)  # handled before: nothing to do
        elif exc_info is None:
            uow = getattr(worker_ctx, "uow", None)
            if uow is None or not uow.handled_recorded:
                with self._store.session() as session:  # the handler wrote nothing itself
                    self._store.record_handled(session, self.consumer_name, event)
            self.queue_consumer.ack_message(message)
        elif attempt < self.attempts:
            delay = min(self.first_delay * self.factor ** (attempt - 1), self.max_delay)
            log.warning("handler failed; retrying", extra={
                "consumer": self.consumer_name, "event_id": event.event_id,
                "journey_id": event.journey_id, "attempt": attempt})
            self.container.spawn_managed_thread(
                partial(self._retry_later, delay, event, message, attempt + 1), identifier="retry")
        else:
            error = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
            self._park(message, error, attempt, event)
        return result, exc_info

    def _retry_later(self, delay, event, message, attempt):
        eventlet.sleep(delay)
        self._spawn(event, message, attempt)

    def _park(self, message, error, attempts, event=None):
        body = message.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        deadletters.park(
            self._store, consumer=self.consumer_name, queue=self.queue.name, body=str(body),
            error=error, attempts=attempts,
            event_id=event.event_id if event else None,
            event_type=event.type if event else None,
            journey_id=event.journey_id if event else None)
        log.error("message parked as a dead letter", extra={
            "consumer": self.consumer_name, "event_id": event.event_id if event else None,
            "journey_id": event.journey_id if event else None})
        self.queue_consumer.ack_message(message)


handles = ReliableEventHandler.decorator
