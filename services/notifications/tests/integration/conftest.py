"""notifications on the real broker and PostgreSQL, the stages it asks stood in for, a real SMTP sink."""

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from services.notifications import models
from services.notifications.service import NotificationsService
from services.notifications.tests.integration.support import STAND_INS, Sink, publish
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config
from shared.testing.infra import free_port, temp_pg_database, temp_vhost


@dataclass
class System:
    amqp_uri: str
    db: Store
    sink: Sink
    cluster: Cluster
    config: dict

    def publish(self, producer, event_type, payload, journey_id, event=None):
        return publish(self.amqp_uri, producer, event_type, payload, journey_id, event)

    def messages(self, journey_id: str, **where) -> list[models.Message]:
        query = select(models.Message).where(models.Message.journey_id == journey_id)
        for name, value in where.items():
            query = query.where(getattr(models.Message, name) == value)
        with self.db.session() as session:
            return list(session.scalars(query))

    def count(self, table, **where) -> int:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(table.c[name] == value)
        with self.db.session() as session:
            return session.scalar(query)


def notifications_config(amqp_uri: str, url: str, sink: Sink, **retry) -> dict:
    config = service_config(amqp_uri, {"notifications": url})
    config["NOTIFICATIONS"] = dict(
        config.get("NOTIFICATIONS") or {},
        smtp_url=f"smtp://127.0.0.1:{sink.port}",
        mail_dir=str(sink.folder),
        tick_seconds=0.1,
        send_timeout_seconds=5,
    )
    config["TIMERS"] = {"poll_interval_seconds": 0.2}
    if retry:
        config["EVENT_RETRY"] = retry
    return config


@contextmanager
def running(folder: Path, **retry):
    """notifications and its stand-ins on a fresh vhost and database, sending to a fresh sink."""
    with temp_vhost() as amqp_uri, temp_pg_database() as url:
        upgrade("notifications", url)
        sink = Sink(folder, free_port()).start()
        db, cluster = Store(url, models.kernel), Cluster(amqp_uri)
        config = notifications_config(amqp_uri, url, sink, **retry)
        try:
            for stand_in in STAND_INS:
                cluster.start(stand_in, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(NotificationsService, config)
            yield System(amqp_uri, db, sink, cluster, config)
        finally:
            cluster.stop_all()
            sink.stop()
            db.dispose()


@pytest.fixture(scope="package")
def system(tmp_path_factory):
    with running(tmp_path_factory.mktemp("mail")) as started:
        yield started
