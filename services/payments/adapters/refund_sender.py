"""The refund sender: a green thread per service instance calling the provider for due refund parts."""
import logging

import eventlet
from eventlet.queue import Empty, LightQueue
from nameko.extensions import DependencyProvider

from services.payments.adapters.provider import Provider, ProviderError
from services.payments.handlers import refunds
from services.payments.settings import parse
from shared.clock import clinic_clock
from shared.db import Database, UnitOfWork

log = logging.getLogger(__name__)


def send_due(uow_factory, clock, provider, policy, limit: int = 20) -> int:
    """Send the parts that are due, no transaction open during a call; returns how many were tried."""
    claimed = refunds.claim_due(uow_factory(), clock, limit)
    for item in claimed:
        try:
            ref = provider.refund(idempotency_key=item.key, payment_ref=item.payment_ref,
                                  amount_cents=item.amount_cents, metadata=item.metadata)
        except Exception as exc:  # a refusal, an outage, or an answer we cannot read: all tried again
            error = str(exc) if isinstance(exc, ProviderError) else f"unreadable answer: {type(exc).__name__}"
            outcome = refunds.record_answer(uow_factory(), clock, policy, item, error=error)
            log.warning("a refund call failed (%s)", outcome, extra={"journey_id": item.journey_id})
        else:
            refunds.record_answer(uow_factory(), clock, policy, item, provider_ref=ref)
    return len(claimed)


class RefundSender(DependencyProvider):
    """Sends decided refunds soon after they are decided (woken), and polls for retries that are due.

    Injects itself: an entrypoint calls `.wake()` when a refund was decided or retried.
    """

    def __init__(self, poll_seconds: float = 1.0):
        self.poll_seconds = poll_seconds
        self._wakeups = LightQueue(maxsize=1)
        self._thread = None

    def start(self):
        dependencies = self.container.dependencies
        database = next(d for d in dependencies if isinstance(d, Database))
        self._client = next(d for d in dependencies if isinstance(d, Provider)).client
        self._uow = lambda: UnitOfWork(database.store, "payments", database.relay.wake)
        self._clock = clinic_clock(self.container.config)
        self._policy = parse(self.container.config).refund_retry
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
        while True:
            try:
                while send_due(self._uow, self._clock, self._client, self._policy) > 0:
                    pass
            except Exception as exc:  # the database is away: say so, try again at the next poll
                log.warning("could not send refunds (%s)", type(exc).__name__)
            try:
                self._wakeups.get(timeout=self.poll_seconds)
            except Empty:
                pass
