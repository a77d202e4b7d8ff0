"""One broker vhost, databases and running services per test module (journeys keep tests apart)."""
from contextlib import contextmanager

import pytest

from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.rehabilitation import models
from services.rehabilitation.service import RehabilitationService
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost

PASSWORD = "a long enough test password"


@pytest.fixture(scope="module")
def broker():
    with temp_vhost() as uri:
        yield uri


@contextmanager
def migrated_store(url: str):
    upgrade("rehabilitation", url)
    store = Store(url, models.kernel)
    try:
        yield store
    finally:
        store.dispose()


@pytest.fixture(scope="module")
def store():
    """The rehabilitation database (PostgreSQL; a module may override it)."""
    with temp_pg_database() as url, migrated_store(url) as store:
        yield store


@pytest.fixture(scope="module")
def stack(broker, store):
    """The rehabilitation service and the gateway, with one staff user per role."""
    with temp_pg_database() as gateway_url:
        upgrade("gateway", gateway_url)
        gateway_store = Store(gateway_url, gateway_models.kernel)
        with gateway_store.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        gateway_store.dispose()
        config = service_config(broker, {"rehabilitation": store.url, "gateway": gateway_url})
        cluster = Cluster(broker)
        cluster.start(GatewayService, config)  # first: it takes the free port before anything else can
        cluster.start(RehabilitationService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
        try:
            yield web_url(config), config
        finally:
            cluster.stop_all()
