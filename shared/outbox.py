"""The outbox relay: publishes committed events, then marks them published.

It wakes as soon as a unit of work commits events, and also polls, so rows
left by a crash (committed, never published) go out when the service comes
back. On PostgreSQL several relays share the outbox safely: each locks the
rows it publishes with FOR UPDATE SKIP LOCKED.
"""
import logging
from datetime import UTC, datetime

import eventlet
from eventlet.queue import Empty, LightQueue
from sqlalchemy import select, update

from shared.amqp import ConfirmedPublisher

log = logging.getLogger(__name__)


def exchange_for(producer: str) -> str:
    """Nameko's event exchange name, so plain @event_handler entrypoints consume ours too."""
    return f"{producer}.events"


class OutboxRelay:
    def __init__(self, store, amqp_uri: str, producer: str, *,
                 batch_size: int = 200, poll_interval: float = 1.0):
        self._store = store
        self._exchange = exchange_for(producer)
        self._publisher = ConfirmedPublisher(amqp_uri)
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._wakeups = LightQueue(maxsize=1)
        self._thread = None
        self._running = False

    def start(self) -> None:
        self._running = True
        self._thread = eventlet.spawn(self._run)

    def stop(self) -> None:
        self._running = False
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        self._publisher.close()

    def wake(self) -> None:
        try:
            self._wakeups.put_nowait(True)
        except eventlet.queue.Full:
            pass  # a wake-up is already pending

    def _run(self) -> None:
        backoff = 0.5
        while self._running:
            try:
                while self.publish_pending() == self._batch_size:
                    pass
                backoff = 0.5
            except Exception as exc:  # broker or database away: say so once per try, retry
                log.warning("outbox relay could not publish (%s: %s); retrying in %.1fs",
                            type(exc).__name__, exc, backoff)
                eventlet.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            try:
                self._wakeups.get(timeout=self._poll_interval)
            except Empty:
                pass

    def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; returns how many went out."""
        outbox = self._store.kernel.outbox
        query = (select(outbox.c.id, outbox.c.event_id, outbox.c.event_type, outbox.c.body)
                 .where(outbox.c.published_at.is_(None))
                 .order_by(outbox.c.id).limit(self._batch_size))
        if not self._store.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        with self._store.session() as session:
            rows = session.execute(query).all()
            if not rows:
                return 0
            self._publisher.publish_batch([
                (self._exchange, row.event_type, row.body.encode(), {}, row.event_id)
                for row in rows
            ])
            session.execute(update(outbox).where(outbox.c.id.in_([r.id for r in rows]))
                            .values(published_at=datetime.now(UTC)))
        return len(rows)
