"""Publishing to RabbitMQ with publisher confirms, a batch at a time.

A batch is sent without waiting message by message; the broker's acks
(possibly `multiple`) are then collected. Only when every message of the
batch is confirmed does the caller mark it published.

AMQP_URI may name several nodes of a cluster separated by `;`, as kombu (and so
nameko) accept it: the relay connects to the first that answers, starting from
the one it last used, and moves on when that node goes.

A `mandatory` publisher also learns which messages no queue took (the broker
returns those before it confirms them): a webhook handed over to a queue that
does not exist must not be answered as stored.
"""
import logging
from urllib.parse import unquote, urlparse

import amqp

log = logging.getLogger(__name__)


class PublishFailed(Exception):
    """The broker refused or did not confirm a message."""


def broker_uris(amqp_uri: str) -> list[str]:
    """The nodes of `amqp://a/;amqp://b/`, in order."""
    return [uri.strip() for uri in amqp_uri.split(";") if uri.strip()]


def connection_params(amqp_uri: str) -> dict:
    parsed = urlparse(amqp_uri)
    vhost = unquote(parsed.path[1:]) if parsed.path and parsed.path != "/" else "/"
    return {
        "host": f"{parsed.hostname or 'localhost'}:{parsed.port or 5672}",
        "userid": unquote(parsed.username or "guest"),
        "password": unquote(parsed.password or "guest"),
        "virtual_host": vhost,
        "connect_timeout": 5,
    }


class ConfirmedPublisher:
    def __init__(self, amqp_uri: str, confirm_timeout: float = 10.0, mandatory: bool = False):
        self._nodes = [connection_params(uri) for uri in broker_uris(amqp_uri)]
        self._node = 0          # the node to try first: the one that answered last
        self._timeout = confirm_timeout
        self._mandatory = mandatory
        self._returned: set[str] = set()
        self._conn: amqp.Connection | None = None
        self._channel = None
        self._declared: set[str] = set()
        self._unconfirmed: set[int] = set()
        self._nacked: list[int] = []
        self._next_tag = 1

    def _open(self) -> amqp.Connection:
        errors = []
        for offset in range(len(self._nodes)):
            index = (self._node + offset) % len(self._nodes)
            conn = amqp.Connection(**self._nodes[index])
            try:
                conn.connect()
            except Exception as exc:  # that node is away: the next one
                errors.append(f"{self._nodes[index]['host']}: {exc}")
                continue
            self._node = index
            return conn
        raise ConnectionError("no broker node answered: " + "; ".join(errors))

    def _connect(self) -> None:
        conn = self._open()
        channel = conn.channel()
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        channel.events["basic_return"].add(self._on_return)
        self._conn, self._channel = conn, channel
        self._declared.clear()
        self._unconfirmed, self._nacked, self._next_tag = set(), [], 1

    def _confirmed(self, delivery_tag: int, multiple: bool) -> set[int]:
        if multiple:
            return {tag for tag in self._unconfirmed if tag <= delivery_tag}
        return {delivery_tag}

    def _on_ack(self, delivery_tag, multiple):
        self._unconfirmed -= self._confirmed(delivery_tag, multiple)

    def _on_nack(self, delivery_tag, multiple, requeue=False):
        tags = self._confirmed(delivery_tag, multiple)
        self._unconfirmed -= tags
        self._nacked.extend(tags)

    def _on_return(self, _exc, _exchange, _routing_key, message):
        self._returned.add(message.properties.get("message_id"))

    def publish_batch(self, messages: list[tuple[str, str, bytes, dict, str]]) -> set[str]:
        """Publish (exchange, routing_key, body, headers, message_id) tuples; wait for confirms.

        Returns the message ids no queue took (only a `mandatory` publisher learns of them)."""
        if self._conn is None:
            self._connect()
        self._returned = set()
        try:
            for exchange, routing_key, body, headers, message_id in messages:
                if exchange not in self._declared:
                    self._channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
                    self._declared.add(exchange)
                message = amqp.Message(body, content_type="application/json",
                                       content_encoding="utf-8", delivery_mode=2,
                                       message_id=message_id, application_headers=headers)
                self._channel.basic_publish(message, exchange=exchange, routing_key=routing_key,
                                            mandatory=self._mandatory)
                self._unconfirmed.add(self._next_tag)
                self._next_tag += 1
            while self._unconfirmed and not self._nacked:
                self._conn.drain_events(timeout=self._timeout)
            if self._nacked:
                raise PublishFailed(f"broker refused {len(self._nacked)} message(s)")
            return self._returned
        except PublishFailed:
            self.close()
            raise
        except Exception:
            self._node = (self._node + 1) % len(self._nodes)   # that node went: try the next first
            self.close()
            raise

    def close(self) -> None:
        conn, self._conn, self._channel = self._conn, None, None
        if conn is not None:
            try:
                conn.collect()
            except Exception:  # the socket is already gone; nothing to release
                pass
