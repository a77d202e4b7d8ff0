import pytest

from services.gateway import models
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import service_config, web_url

PASSWORD = "a long enough test password"


@pytest.fixture
def gateway(cluster, amqp_uri, db_url):
    """A running gateway on a migrated database, with one user per role."""
    upgrade("gateway", db_url)
    store = Store(db_url, models.kernel)
    with store.session() as session:
        from services.gateway.domain.roles import STAFF_ROLES
        for role in STAFF_ROLES:
            create_user(session, role, PASSWORD, role)
    config = service_config(amqp_uri, {"gateway": db_url})
    cluster.start(GatewayService, config)
    yield web_url(config), store, config
    store.dispose()
