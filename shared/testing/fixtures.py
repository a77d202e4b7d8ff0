"""Pytest fixtures shared by every suite (registered in the root conftest)."""
import pytest

from shared.testing.cluster import Cluster
from shared.testing.infra import temp_pg_database, temp_vhost


@pytest.fixture
def amqp_uri():
    """A fresh vhost on the real RabbitMQ."""
    with temp_vhost() as uri:
        yield uri


@pytest.fixture
def pg_url():
    """A fresh database on the real PostgreSQL."""
    with temp_pg_database() as url:
        yield url


@pytest.fixture(params=["postgresql", "sqlite"])
def db_url(request, tmp_path):
    """The same test on PostgreSQL and on SQLite (the embedded default)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/service.db"
    else:
        with temp_pg_database() as url:
            yield url


@pytest.fixture
def cluster(amqp_uri):
    cluster = Cluster(amqp_uri)
    yield cluster
    cluster.stop_all()
