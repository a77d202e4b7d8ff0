"""The embedded default: the same journey with the travel database on SQLite."""
import pytest

from services.travel.tests.integration.conftest import running
from shared.testing.infra import temp_pg_database, temp_vhost


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite")
    with temp_vhost() as amqp_uri, temp_pg_database() as gateway_db:
        with running(f"sqlite:///{folder}/travel.db", gateway_db, amqp_uri, folder) as env:
            yield env


def test_on_sqlite_an_itinerary_is_confirmed_then_cancelled_with_its_cost(env):
    journey, _ = env.confirmed()
    env.publish("surgery", "surgery_cancelled", {"reason_code": "patient_withdrew"}, journey)
    assert env.wait_event(journey, "itinerary_cancelled")["payload"]["cost_cents"] == 20000
    assert {o["status"] for o in env.orders(journey)["orders"]} == {"cancelled"}
