"""`handles(source, event_type)`: nameko's event handler, made reliable.

Nameko acks an event even when its handler raised. This entrypoint:
- parses the envelope and checks the payload against its contract; a
  malformed or unknown-version message is parked at once, and consuming goes on;
- skips events this consumer has already handled (the inbox);
- retries a failing handler on a schedule of minutes to hours (EVENT_RETRY) held
  by RabbitMQ, not by a worker: the message is republished, with publisher
  confirms, to a delay queue of the service that hands it back to the handler's
  queue when its expiration runs out (shared/topology.py), and only then is the
  original acked;
- once the schedule is spent, parks the message with its error for an operator;
- acks only once the outcome (handled, waiting for a retry, or parked) is stored.
"""
import logging
import traceback
from functools import partial

import eventlet
from nameko.amqp.publish import Publisher
from nameko.events import SERVICE_POOL, EventHandler

from shared import deadletters, topology
from shared.consumers import OutageTolerantQueueConsumer
from shared.db import Database, DuplicateEvent
from shared.events import MalformedEvent, from_wire

log = logging.getLogger(__name__)

ATTEMPT_HEADER = "x-carepath-attempt"   # which delivery of the event this is: 1, 2, ...
# What RabbitMQ adds when it dead-letters a message; the next wait starts afresh without them.
_BROKER_HEADERS = ("x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
                   "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason")
REQUEUE_PAUSE_SECONDS = 1.0   # before requeueing a message whose outcome could not be stored


class ParkingQueueConsumer(OutageTolerantQueueConsumer):
    """Hands messages that cannot even be decoded to their entrypoint to park."""

    def get_consumers(self, consumer_cls, channel):
        consumers = super().get_consumers(consumer_cls, channel)
        for provider, consumer in self._consumers.items():
            consumer.on_decode_error = partial(self._on_decode_error, provider)
        return consumers

    def _on_decode_error(self, provider, message, exc):
        provider.park_soon(message, f"undecodable message: {exc}")


def attempt_of(message) -> int:
    try:
        return max(1, int((message.headers or {}).get(ATTEMPT_HEADER, 1)))
    except (TypeError, ValueError):
        return 1


def _describe(exc_type, exc) -> str:
    return "".join(traceback.format_exception_only(exc_type, exc)).strip()


class ReliableEventHandler(EventHandler):
    queue_consumer = ParkingQueueConsumer()
    queue_type = "quorum"   # what shared/topology.py declares for it

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
        # Nameko declares its queue as a classic one: ours must match what topology declared.
        self.queue = topology.handler_queue(self.source_service, self.event_type,
                                            self.container.service_name, self.method_name)
        self.schedule = topology.retry_schedule(self.container.config)
        self._publisher = Publisher(self.container.config["AMQP_URI"], mandatory=True,
                                    retry_policy={"max_retries": 2})

    def handle_message(self, body, message):
        try:
            event = from_wire(body)
        except MalformedEvent as exc:
            self.park_soon(message, f"MalformedEvent: {exc}")
            return
        attempt = attempt_of(message)
        # First deliveries rely on the unit of work's inbox insert to spot a duplicate;
        # redeliveries and retries check first (the handler may not have used a unit of work).
        if (message.delivery_info.get("redelivered") or attempt > 1) and self._handled_before(event):
            self.queue_consumer.ack_message(message)
            return
        context_data = self.unpack_message_headers(message)
        context_data["correlation_id"] = event.correlation_id
        self.container.spawn_worker(
            self, (event,), {}, context_data=context_data,
            handle_result=partial(self._handle_result, message, event, attempt))

    def _handled_before(self, event) -> bool:
        try:
            return self._store.already_handled(self.consumer_name, event.event_id)
        except Exception:  # the database is away: the handler's own inbox insert decides
            return False

    def _handle_result(self, message, event, attempt, worker_ctx, result=None, exc_info=None):
        if exc_info is not None and issubclass(exc_info[0], DuplicateEvent):
            self.queue_consumer.ack_message(message)  # handled before: nothing to do
            return result, exc_info
        error = _describe(*exc_info[:2]) if exc_info is not None else None
        if error is None:
            try:
                uow = getattr(worker_ctx, "uow", None)
                if uow is None or not uow.handled_recorded:
                    with self._store.session() as session:  # the handler wrote nothing itself
                        self._store.record_handled(session, self.consumer_name, event)
                self.queue_consumer.ack_message(message)
                return result, exc_info
            except Exception as exc:
                error = f"recording the event as handled: {_describe(type(exc), exc)}"
        if attempt <= self.schedule.steps:
            self._retry_later(message, event, attempt, attempt - 1)
        else:
            self._park(message, error, attempt, event)
        return result, exc_info

    def _retry_later(self, message, event, attempt, step):
        """Republish the message to wait in the step's delay queue; ack it once confirmed."""
        queue = topology.delay_queue(self.container.service_name, step)
        delay = self.schedule.delay(step)
        headers = {k: v for k, v in (message.headers or {}).items() if k not in _BROKER_HEADERS}
        headers[ATTEMPT_HEADER] = attempt + 1
        try:
            self._publisher.publish(   # the handler's queue as routing key: where it goes back to
                message.body, exchange=queue.exchange, routing_key=self.queue.name, declare=[queue],
                expiration=delay,
                headers=headers, content_type=message.content_type,
                content_encoding=message.content_encoding,
                message_id=message.properties.get("message_id"))
        except Exception as exc:  # the broker is away: it hands the unacked message out again
            log.warning("could not hold a failed event for its retry; requeueing it", extra={
                "consumer": self.consumer_name, "event_id": event.event_id,
                "status": _describe(type(exc), exc)})
            self._requeue_soon(message)
            return
        log.warning("handler failed; retrying later", extra={
            "consumer": self.consumer_name, "event_id": event.event_id, "journey_id": event.journey_id,
            "attempt": attempt, "retry_in_seconds": round(delay, 1)})
        self.queue_consumer.ack_message(message)

    def park_soon(self, message, error):
        self.container.spawn_managed_thread(partial(self._park, message, error, 0), identifier="park")

    def _park(self, message, error, attempts, event=None):
        body = message.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        try:
            deadletters.park(
                self._store, consumer=self.consumer_name, queue=self.queue.name, body=str(body),
                error=error, attempts=attempts,
                event_id=event.event_id if event else None,
                event_type=event.type if event else None,
                journey_id=event.journey_id if event else None)
        except Exception as exc:  # the database is away: the message stays with the broker
            log.warning("could not park a message; it stays on the broker", extra={
                "consumer": self.consumer_name, "status": _describe(type(exc), exc)})
            if event is not None and self.schedule.steps:
                self._retry_later(message, event, attempts - 1, self.schedule.steps - 1)
            else:
                self._requeue_soon(message)
            return
        log.error("message parked as a dead letter", extra={
            "consumer": self.consumer_name, "event_id": event.event_id if event else None,
            "journey_id": event.journey_id if event else None})
        self.queue_consumer.ack_message(message)

    def _requeue_soon(self, message):
        def requeue():
            eventlet.sleep(REQUEUE_PAUSE_SECONDS)
            self.queue_consumer.requeue_message(message)
        self.container.spawn_managed_thread(requeue, identifier="requeue")


handles = ReliableEventHandler.decorator
