"""The embedded default: the journey service on SQLite gives the projection the rules say."""
import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.journey import models
from services.journey.domain.projection import project
from services.journey.handlers import projection
from services.journey.service import JourneyService
from services.journey.tests.conftest import publish
from services.journey.tests.integration.test_projection import START
from services.journey.tests.story import new_journey, story
from services.journey.tests.unit.facts import fact
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import service_config
from shared.testing.infra import wait_for


@pytest.fixture
def sqlite_journey(cluster, amqp_uri, tmp_path):
    url = f"sqlite:///{tmp_path}/journey.db"
    upgrade("journey", url)
    config = service_config(amqp_uri, {"journey": url})
    cluster.start(JourneyService, config)
    store = Store(url, models.kernel)
    yield config, store
    store.dispose()


def test_a_whole_journey_on_sqlite_matches_the_rules_and_survives_a_rebuild(sqlite_journey, amqp_uri):
    config, store = sqlite_journey
    journey = new_journey()
    steps = story(journey, START)
    publish(amqp_uri, *(step.event for step in reversed(steps)))
    expected = project(journey, [fact(step.event) for step in steps])
    with ServiceRpcProxy("journey", config) as rpc:
        seen = wait_for(lambda: _complete(rpc, journey, len(steps)))
        assert (seen["stage"], seen["waiting_for"]) == (expected.stage, expected.waiting_for)
        assert [e["summary"] for e in seen["entries"]] == [e.summary for e in expected.timeline]
        assert rpc.export_fhir(journey)["type"] == "collection"
        projection.rebuild(store)
        assert rpc.timeline(journey) == seen


def _complete(rpc, journey, count):
    board = {item["journey_id"]: item for item in rpc.board()}
    if board.get(journey, {}).get("event_count") == count:
        return rpc.timeline(journey)
    return None
