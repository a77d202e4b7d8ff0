"""One running stack for the package: enquiries + gateway on PostgreSQL and the real broker."""
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from services.enquiries import models
from services.enquiries.service import EnquiriesService
from services.enquiries.tests.integration.helpers import Client
from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, EventTap, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost

PASSWORD = "a long enough test password"


@dataclass
class Stack:
    base: str
    amqp_uri: str
    store: Store             # the enquiries database
    gateway_store: Store

    def count(self, model) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.count()).select_from(model))


@pytest.fixture(scope="package")
def stack():
    with temp_vhost() as amqp_uri, temp_pg_database() as url, temp_pg_database() as gateway_url:
        upgrade("enquiries", url)
        upgrade("gateway", gateway_url)
        gateway_store = Store(gateway_url, gateway_models.kernel)
        with gateway_store.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, {"enquiries": url, "gateway": gateway_url})
        cluster = Cluster(amqp_uri)
        cluster.start(EnquiriesService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
        cluster.start(GatewayService, config)
        store = Store(url, models.kernel)
        try:
            yield Stack(web_url(config), amqp_uri, store, gateway_store)
        finally:
            cluster.stop_all()
            store.dispose()
            gateway_store.dispose()


@pytest.fixture
def tap(stack):
    """Every event the enquiries service publishes from now on."""
    events = EventTap(stack.amqp_uri, "enquiries")
    yield events
    events.close()


@pytest.fixture
def public(stack):
    """A member of the public, from an address of their own (rate limits are per client)."""
    with Client(stack.base) as client:
        yield client


@pytest.fixture
def staff(stack):
    """Signed-in staff: staff("specialist") is a client with that role's token."""
    clients = {}

    def signed_in(role: str) -> Client:
        if role not in clients:
            client = Client(stack.base)
            response = client.post("/api/auth/token", json={"username": role, "password": PASSWORD})
            assert response.status_code == 200, response.text
            client.headers["Authorization"] = "Bearer " + response.json()["access_token"]
            clients[role] = client
        return clients[role]
    yield signed_in
    for client in clients.values():
        client.close()
