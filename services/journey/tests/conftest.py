import json
from urllib.parse import quote, urlparse

import pytest
import requests
from kombu import Connection, Exchange

from services.journey import models
from services.journey.service import JourneyService
from shared.db import Store
from shared.events import Event, to_wire
from shared.migrations import upgrade
from shared.testing.cluster import service_config
from shared.testing.infra import RABBIT_AUTH, RABBIT_MGMT, temp_pg_database


@pytest.fixture(scope="module")
def journey_db():
    """One migrated PostgreSQL database per test module (journeys in it never share ids)."""
    with temp_pg_database() as url:
        upgrade("journey", url)
        store = Store(url, models.kernel)
        yield store
        store.dispose()


@pytest.fixture
def journey_service(cluster, amqp_uri, journey_db):
    """The journey service on the real broker; returns its config (for RPC proxies)."""
    config = service_config(amqp_uri, {"journey": journey_db.url})
    cluster.start(JourneyService, config)
    return config


def publish(amqp_uri: str, *events: Event) -> None:
    """Publish events as their producers' outbox relays would."""
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        for event in events:
            exchange = Exchange(f"{event.producer}.events", type="topic", durable=True)
            producer.publish(json.dumps(to_wire(event)).encode(), exchange=exchange, routing_key=event.type,
                             content_type="application/json", content_encoding="utf-8", delivery_mode=2,
                             declare=[exchange], message_id=event.event_id)


def queues_idle(amqp_uri: str) -> bool:
    """Every queue of this test's vhost is empty and has nothing unacknowledged."""
    vhost = quote(urlparse(amqp_uri).path[1:] or "/", safe="")
    queues = requests.get(f"{RABBIT_MGMT}/api/queues/{vhost}", auth=RABBIT_AUTH, timeout=10).json()
    return bool(queues) and all(q.get("messages", 1) == 0 and q.get("messages_unacknowledged", 1) == 0
                                for q in queues)


PASSWORD = "a long enough test password"


@pytest.fixture(scope="module")
def gateway_db():
    """The gateway's database, with one staff user per role (username = role)."""
    from services.gateway import models as gateway_models
    from services.gateway.domain.roles import STAFF_ROLES
    from services.gateway.handlers.accounts import create_user
    with temp_pg_database() as url:
        upgrade("gateway", url)
        store = Store(url, gateway_models.kernel)
        with store.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        yield store
        store.dispose()


@pytest.fixture
def stack(cluster, amqp_uri, journey_db, gateway_db):
    """The gateway and the journey service; returns (base url, config)."""
    from sqlalchemy import delete

    from services.gateway.models import RateLimitBucket
    from services.gateway.service import GatewayService
    from shared.testing.cluster import web_url
    # A test's gateway starts with whole allowances: the counts are in the module's database, which the
    # gateways of its tests share.
    with gateway_db.session() as session:
        session.execute(delete(RateLimitBucket))
    config = service_config(amqp_uri, {"journey": journey_db.url, "gateway": gateway_db.url})
    cluster.start(JourneyService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    cluster.start(GatewayService, config)
    return web_url(config), config


def login(base: str, role: str) -> dict:
    response = requests.post(f"{base}/api/auth/token", json={"username": role, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": "Bearer " + response.json()["access_token"]}
