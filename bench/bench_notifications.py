"""Benchmark of notifications on this machine: messages sent per second through the local SMTP sink,
beside the bare event rate measured in the same run, and their ratio (medians of several runs).

- notifications: `refund_issued` events published to the broker, each recorded as one message in the
  handler's transaction, then sent by the sender loop (contact details over RPC, rendered in the
  patient's language, handed to the sink over SMTP, recorded as sent): from the first publish to the
  last message recorded as sent;
- bare: the same number of events from nameko's EventDispatcher to a plain @event_handler.
Usage: python bench/bench_notifications.py [--messages N] [--runs R]
"""
import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kombu import Connection, Exchange  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402
from nameko.events import EventDispatcher, event_handler  # noqa: E402
from nameko.rpc import rpc  # noqa: E402
from nameko.standalone.rpc import ServiceRpcProxy  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from services.notifications import models  # noqa: E402
from services.notifications.service import NotificationsService  # noqa: E402
from services.notifications.tests.integration.support import STAND_INS, Sink, contact  # noqa: E402
from shared import topology  # noqa: E402
from shared.db import Store  # noqa: E402
from shared.events import new_event, to_wire  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.testing.cluster import service_config  # noqa: E402
from shared.testing.infra import free_port, temp_pg_database, temp_vhost  # noqa: E402

SEEN: list[float] = []
PER_JOURNEY = 10
LANGUAGES = ("en", "nl", "de", "fr", "es")


class BareProducer:
    name = "bare_producer"
    dispatch = EventDispatcher()

    @rpc
    def burst(self, count):
        for _ in range(count):
            self.dispatch("bare_tick", {"sent": time.time()})


class BareConsumer:
    name = "bare_consumer"

    @event_handler("bare_producer", "bare_tick")
    def on_tick(self, payload):
        SEEN.append(time.time())


def _start(cls, config) -> ServiceContainer:
    container = ServiceContainer(cls, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
    container.start()
    return container


def _sent(db: Store) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(models.Message)
                              .where(models.Message.status == models.SENT))


def run_notifications(amqp_uri: str, db: Store, count: int, run: int) -> float:
    before = _sent(db)
    journeys = [contact(LANGUAGES[n % len(LANGUAGES)])[0] for n in range(count // PER_JOURNEY)]
    exchange = Exchange("payments.events", type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        start = time.time()
        for journey in journeys:
            for n in range(PER_JOURNEY):
                event = new_event("payments", "refund_issued", {"invoice_id": f"I-{run}", "refund_cents": n},
                                  journey)
                body = json.dumps(to_wire(event)).encode()
                producer.publish(body, exchange=exchange, routing_key=event.type,
                                 content_type="application/json", delivery_mode=2, declare=[exchange])
    deadline = start + 600
    while _sent(db) < before + count:
        if time.time() > deadline:
            raise RuntimeError(f"only {_sent(db) - before} of {count} messages sent")
        eventlet.sleep(0.02)
    return count / (time.time() - start)


def run_bare(config: dict, count: int) -> float:
    SEEN.clear()
    with ServiceRpcProxy("bare_producer", config, timeout=600) as proxy:
        start = time.time()
        proxy.burst(count)
        deadline = start + 600
        while len(SEEN) < count:
            if time.time() > deadline:
                raise RuntimeError(f"only {len(SEEN)} of {count} bare events arrived")
            eventlet.sleep(0.005)
        return count / (max(SEEN) - start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with temp_vhost() as amqp_uri, temp_pg_database() as url, tempfile.TemporaryDirectory() as folder:
        upgrade("notifications", url)
        sink = Sink(Path(folder), free_port()).start()
        config = service_config(amqp_uri, {"notifications": url})
        config["NOTIFICATIONS"] = dict(config.get("NOTIFICATIONS") or {}, smtp_url=f"smtp://127.0.0.1:{sink.port}",
                                       mail_dir=folder, tick_seconds=0.05)
        topology.declare(amqp_uri, [NotificationsService, BareConsumer])
        services = (*STAND_INS, NotificationsService, BareProducer, BareConsumer)
        containers = [_start(cls, config) for cls in services]
        db = Store(url, models.kernel)
        try:
            mail, bare = [], []
            for run in range(args.runs):
                mail.append(run_notifications(amqp_uri, db, args.messages, run))
                bare.append(run_bare(config, args.messages))
                print(f"run {run + 1}: {mail[-1]:.0f} messages/s, bare events {bare[-1]:.0f}/s", flush=True)
            m, b = statistics.median(mail), statistics.median(bare)
            print(f"notifications: {m:.0f} messages/s sent through the SMTP sink (median of {args.runs}, "
                  f"{args.messages} each)")
            print(f"bare nameko events: {b:.0f} events/s; ratio messages/events = {m / b:.3f}")
        finally:
            for container in containers:
                container.kill()
            db.dispose()
            sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
