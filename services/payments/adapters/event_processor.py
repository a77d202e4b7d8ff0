"""The background processor of stored provider events (a green thread per service instance)."""
import logging
import time

import eventlet
from eventlet.queue import Empty, LightQueue
from nameko.extensions import DependencyProvider

from services.payments.handlers.provider_events import process_pending, rematch
from services.payments.settings import parse
from shared.clock import clinic_clock
from shared.db import Database

log = logging.getLogger(__name__)


class EventProcessor(DependencyProvider):
    """Applies stored webhooks soon after they are stored (woken), and polls for leftovers.

    Under load, events gather for a moment and are applied in one transaction:
    acknowledging webhooks stays cheap while their money is counted a little later.

    Every `sweep_seconds` it also puts back in line the unmatched events whose
    invoice has appeared since (issuing an invoice does so at once; the sweep
    catches an invoice committed while its event was being read).

    Injects itself: an entrypoint calls `.wake()` after storing an event.
    """

    def __init__(self, poll_seconds: float = 1.0, gather_seconds: float = 0.05, batch: int = 100,
                 sweep_seconds: float = 60.0):
        self.poll_seconds = poll_seconds
        self.gather_seconds = gather_seconds
        self.batch = batch
        self.sweep_seconds = sweep_seconds
        self._wakeups = LightQueue(maxsize=1)
        self._thread = None

    def start(self):
        self._database = next(d for d in self.container.dependencies if isinstance(d, Database))
        self._clock = clinic_clock(self.container.config)
        self._actor = parse(self.container.config).provider_actor
        self._thread = eventlet.spawn(self._run)

    def stop(self):
        if self._thread is not None:
            self._thread.kill()
            self._thread = None

    kill = stop

    def get_dependency(self, worker_ctx):
        return self

    def wake(self) -> None:
        try:
            self._wakeups.put_nowait(True)
        except eventlet.queue.Full:
            pass  # a wake-up is already pending

    def _run(self) -> None:
        database, swept = self._database, 0.0
        while True:
            try:
                if time.monotonic() - swept >= self.sweep_seconds:
                    with database.store.session() as session:
                        rematch(session)
                    swept = time.monotonic()
                while process_pending(database.store, database.relay.wake, self._clock,
                                      self.batch, actor=self._actor) >= self.batch:
                    pass
            except Exception as exc:  # the database is away: say so, try again at the next poll
                log.warning("could not process provider events (%s)", type(exc).__name__)
            try:
                self._wakeups.get(timeout=self.poll_seconds)
                eventlet.sleep(self.gather_seconds)  # let a busy moment's events gather into one batch
            except Empty:
                pass
