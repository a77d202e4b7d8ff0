"""Helpers for the surgery service's tests on the real broker and databases."""
import contextlib
import json
import uuid
from datetime import date

from kombu import Connection, Exchange
from sqlalchemy import func, select

from services.surgery import models
from services.surgery.service import SurgeryService
from shared.db import Store
from shared.events import Event, new_event, to_wire
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config
from shared.testing.infra import temp_pg_database, temp_vhost, wait_for

PAYMENT = {"invoice_id": "inv-1", "paid_cents": 1_250_000}


def accepted(earliest: date | None = None, side: str = "left") -> dict:
    return {"enquiry_id": str(uuid.uuid4()),
            "earliest_surgery_date": earliest.isoformat() if earliest else None,
            "amputation_level": "transfemoral", "amputation_side": side, "body_weight_kg": "81.5",
            "preferred_language": "en", "country": "NO"}


@contextlib.contextmanager
def surgery_running(surgery_settings: dict | None = None, sqlite_path: str | None = None, **databases):
    """A broker vhost, a migrated database (PostgreSQL unless a SQLite path is given) and the
    surgery service running on them."""
    with temp_vhost() as amqp_uri, _database(sqlite_path) as url:
        upgrade("surgery", url)
        config = service_config(amqp_uri, {"surgery": url, **databases})
        config["SURGERY"] = {**config["SURGERY"], **(surgery_settings or {})}
        store, cluster = Store(url, models.kernel), Cluster(amqp_uri)
        try:
            cluster.start(SurgeryService, config)
            yield cluster, config, store
        finally:
            cluster.stop_all()
            store.dispose()


@contextlib.contextmanager
def _database(sqlite_path: str | None):
    if sqlite_path:
        yield f"sqlite:///{sqlite_path}"
    else:
        with temp_pg_database() as url:
            yield url


def event(producer: str, event_type: str, payload: dict, journey_id: str) -> Event:
    return new_event(producer, event_type, payload, journey_id)


def publish(amqp_uri: str, *events: Event) -> None:
    """Publish events as their producers would (the same event twice = a redelivered duplicate)."""
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        for item in events:
            exchange = Exchange(f"{item.producer}.events", type="topic", durable=True)
            producer.publish(json.dumps(to_wire(item)).encode(), exchange=exchange, routing_key=item.type,
                             declare=[exchange], content_type="application/json",
                             content_encoding="utf-8", delivery_mode=2)


def handled(store: Store, *events: Event) -> bool:
    ids = {item.event_id for item in events}
    with store.session() as session:
        found = session.scalars(select(store.kernel.inbox.c.event_id).where(
            store.kernel.inbox.c.event_id.in_(ids))).all()
    return set(found) == ids


def wait_handled(store: Store, *events: Event) -> None:
    wait_for(lambda: handled(store, *events), message="the surgery service did not handle the events")


def outbox(store: Store, journey_id: str, event_type: str | None = None) -> list[dict]:
    """What the service committed to publish for a journey, once the relay has published all of it."""
    table = store.kernel.outbox

    def published():
        with store.session() as session:
            pending = select(func.count()).select_from(table).where(table.c.published_at.is_(None))
            return session.scalar(pending) == 0
    wait_for(published, message="the outbox relay did not publish everything")
    with store.session() as session:
        bodies = session.scalars(select(table.c.body).where(table.c.journey_id == journey_id)
                                 .order_by(table.c.id)).all()
    return [body for body in map(json.loads, bodies) if event_type in (None, body["type"])]


def tapped(tap, journey_id: str, event_type: str) -> list[dict]:
    return [item for item in tap.drain() if item["journey_id"] == journey_id and item["type"] == event_type]
