import pytest

from shared.db import Store
from shared.testing.cluster import service_config
from shared.testing.infra import temp_pg_database
from shared.tests import sample


def make_store(url):
    store = Store(url, sample.kernel)
    sample.metadata.create_all(store.engine)
    return store


@pytest.fixture
def consumer_url(db_url, tmp_path):
    """Each service owns its database: the consumer gets one of its own."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/consumer.db"
    else:
        with temp_pg_database() as url:
            yield url


@pytest.fixture
def stores(db_url, consumer_url):
    """The producer's and the consumer's databases."""
    producer, consumer = make_store(db_url), make_store(consumer_url)
    yield producer, consumer
    producer.dispose()
    consumer.dispose()


# A short retry schedule: three retries within half a second, then parked.
QUICK_RETRY = {"delays_seconds": [0.05, 0.1, 0.2], "jitter": 0.2}


@pytest.fixture
def config(amqp_uri, stores):
    return service_config(amqp_uri, {"kernel_producer": stores[0].url, "kernel_consumer": stores[1].url},
                          EVENT_RETRY=QUICK_RETRY)


@pytest.fixture
def running(stores, cluster, config):
    """Consumer and producer running as nameko containers on the real broker."""
    cluster.start(sample.ConsumerService, config)
    cluster.start(sample.ProducerService, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    return config


def publish_raw(amqp_uri, body: bytes, routing_key="note_recorded", content_type="application/json"):
    """Publish bytes as if kernel_producer had: for duplicates and malformed messages."""
    from kombu import Connection, Exchange
    exchange = Exchange("kernel_producer.events", type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(body, exchange=exchange, routing_key=routing_key, declare=[exchange],
                                content_type=content_type, content_encoding="utf-8", delivery_mode=2)
