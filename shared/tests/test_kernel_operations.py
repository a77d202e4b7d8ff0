"""Every service's dead letters over RPC (what the gateway's administrator routes call), and the
readiness check counting them."""
import json
import uuid

import pytest
import requests
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import insert, update

from shared import deadletters
from shared.testing.cluster import web_url
from shared.testing.infra import wait_for
from shared.tests import sample
from shared.tests.conftest import publish_raw
from shared.tests.test_kernel_delivery import record


def park_failing(config, store, journeys) -> dict[str, int]:
    """Each journey's event fails every attempt and is parked; {journey: letter id}."""
    with store.session() as session:
        for journey in journeys:
            session.execute(insert(sample.faults).values(journey_id=journey, remaining=10_000))
    for journey in journeys:
        record(config, journey)
    letters = wait_for(lambda: (found := deadletters.list_letters(store)) and len(found) == len(journeys)
                       and found, message="the failing events were not parked")
    return {letter["journey_id"]: letter["id"] for letter in letters}


def test_dead_letters_are_listed_shown_replayed_and_discarded_over_rpc_without_their_payload(
        running, stores, amqp_uri):
    fixed, dropped = str(uuid.uuid4()), str(uuid.uuid4())
    ids = park_failing(running, stores[1], [fixed, dropped])
    with ServiceRpcProxy("kernel_consumer", running, timeout=30) as consumer:
        listed = consumer.dead_letters()
        shown = consumer.dead_letter(ids[fixed])
        assert sorted(letter["id"] for letter in listed) == sorted(ids.values())
        assert shown["service"] == "kernel_consumer" and shown["attempts"] == 4
        assert "injected fault" in shown["error"] and shown["journey_id"] == fixed
        assert (shown["envelope"]["type"], shown["envelope"]["producer"], shown["envelope"]["version"]) == \
            ("note_recorded", "kernel_producer", 1)
        for letter in listed + [shown]:                # ids, envelope and error: never the payload
            assert "body" not in letter and "payload" not in json.dumps(letter)
            assert "note_id" not in json.dumps(letter)

        with stores[1].session() as session:           # the fix
            session.execute(update(sample.faults).values(remaining=0))
        assert consumer.replay_dead_letter(ids[fixed])["status"] == deadletters.REPLAYED
        wait_for(lambda: sample.effect_count(stores[1], fixed) == 1, message="the replay had no effect")
        assert consumer.discard_dead_letter(ids[dropped])["status"] == deadletters.DISCARDED

        for again in (consumer.replay_dead_letter, consumer.discard_dead_letter):
            with pytest.raises(RemoteError) as refused:
                again(ids[dropped])
            assert refused.value.exc_type == "Conflict"
        with pytest.raises(RemoteError) as missing:
            consumer.dead_letter(max(ids.values()) + 100)
        assert missing.value.exc_type == "NotFound"
        assert consumer.dead_letters() == []
        assert {letter["status"] for letter in consumer.dead_letters("all")} == {"replayed", "discarded"}
    assert sample.effect_count(stores[1], dropped) == 0


def test_a_letter_that_is_no_event_shows_its_error_and_no_envelope(running, stores, amqp_uri):
    publish_raw(amqp_uri, b'{"type": "note_recorded", "payload": {"note_id": 5}}')
    wait_for(lambda: deadletters.list_letters(stores[1]), message="nothing was parked")
    with ServiceRpcProxy("kernel_consumer", running, timeout=30) as consumer:
        [letter] = consumer.dead_letters()
    assert letter["attempts"] == 0 and "bad envelope" in letter["error"]
    assert letter["envelope"]["type"] == "note_recorded" and "note_id" not in json.dumps(letter)


def test_readiness_reports_how_many_dead_letters_are_parked_and_stays_ready(running, stores, amqp_uri):
    def ready() -> tuple[int, dict]:
        answer = requests.get(f"{web_url(running)}/health/ready", timeout=10)
        return answer.status_code, answer.json()

    status, answer = ready()
    assert (status, answer["status"], answer["dead_letters"]) == (200, "ready", 0)
    publish_raw(amqp_uri, b"{not json")
    publish_raw(amqp_uri, b"[]")
    wait_for(lambda: ready()[1]["dead_letters"] == 2, message="readiness does not count the letters")
    assert ready()[0] == 200 and ready()[1]["status"] == "ready"
