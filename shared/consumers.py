"""Consuming that outlives a broker outage.

Nameko kills the whole service when a worker finishes while the broker is away: acking
raises the socket's own error (nameko only catches amqp's), and so does publishing an
RPC reply once its retries are spent. A killed service stops `make run` altogether.
Here both are logged and the service goes on serving; consumers reconnect on their own.
"""
import logging

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from nameko.messaging import QueueConsumer
from nameko.rpc import Rpc, RpcConsumer

from shared import topology
from shared.db import DuplicateCommand

log = logging.getLogger(__name__)

# What a vanished broker raises: the socket's errors, amqp's and kombu's own.
BROKER_GONE = (OSError, AmqpConnectionError, OperationalError)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class OutageTolerantQueueConsumer(QueueConsumer):
    """Acks and requeues that find the connection gone are dropped: the broker hands an
    unacked message out again once a consumer is back, and the inbox spots a repeat."""

    def ack_message(self, message):
        self._unless_gone(super().ack_message, message, "ack")

    def requeue_message(self, message):
        self._unless_gone(super().requeue_message, message, "requeue")

    @staticmethod
    def _unless_gone(action, message, what: str) -> None:
        try:
            action(message)
        except BROKER_GONE as exc:
            log.warning(f"{what} lost with the broker connection; the broker redelivers the message",
                        extra={"status": _describe(exc)})


class OutageTolerantRpcConsumer(RpcConsumer):
    queue_consumer = OutageTolerantQueueConsumer()

    def setup(self):
        if self.queue is None:
            super().setup()
            # A quorum queue, as the topology and `ops migrate-queues` declare it: calls outlive a node.
            self.queue = topology.rpc_queue(self.container.service_name, self.container.config)

    def handle_result(self, message, result, exc_info):
        try:
            return super().handle_result(message, result, exc_info)
        except BROKER_GONE as exc:
            # The call's effect is committed: ack it where its channel survived, so it is not
            # run again (a request on a dead channel is redelivered, as nameko always does).
            # The caller times out, as for any lost answer, and may ask again.
            log.warning("RPC reply lost: the broker is unreachable; the caller times out",
                        extra={"status": _describe(exc)})
            self.queue_consumer.ack_message(message)
            return result, exc_info


class OutageTolerantRpc(Rpc):
    """An RPC entrypoint that carries out each command once (see shared/db.py): a repeat of a
    command id it has seen answers with the reply kept by the first delivery."""
    rpc_consumer = OutageTolerantRpcConsumer()

    def __init__(self, expected_exceptions=(), **kwargs):
        if not isinstance(expected_exceptions, tuple):
            expected_exceptions = (expected_exceptions,)
        super().__init__(expected_exceptions=expected_exceptions + (DuplicateCommand,), **kwargs)

    def handle_result(self, message, worker_ctx, result, exc_info):
        uow = getattr(worker_ctx, "uow", None)   # set by the Database dependency
        if uow is not None:
            result, exc_info = uow.answer_command(result, exc_info)
        return super().handle_result(message, worker_ctx, result, exc_info)


rpc = OutageTolerantRpc.decorator
