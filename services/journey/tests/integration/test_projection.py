"""A journey driven through its stages on the real broker, into the projection on PostgreSQL."""
import random
import subprocess
import sys
from datetime import UTC, datetime

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import select

from services.journey.handlers import projection
from services.journey.models import JourneyRow, TimelineEntry
from services.journey.tests.conftest import publish, queues_idle
from services.journey.tests.story import new_journey, story
from shared.config import ROOT
from shared.testing.infra import wait_for

START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def _snapshot(store, journey_id=None) -> dict:
    with store.session() as session:
        journeys = select(JourneyRow).order_by(JourneyRow.journey_id)
        entries = select(TimelineEntry).order_by(TimelineEntry.journey_id, TimelineEntry.position)
        if journey_id:
            journeys = journeys.where(JourneyRow.journey_id == journey_id)
            entries = entries.where(TimelineEntry.journey_id == journey_id)
        strip = lambda row: {k: v for k, v in vars(row).items() if not k.startswith("_")}  # noqa: E731
        return {"journeys": [strip(r) for r in session.scalars(journeys)],
                "timeline": [strip(r) for r in session.scalars(entries)]}


def test_the_timeline_lists_every_fact_once_in_causal_order_and_waits_for_the_right_thing(
        journey_service, amqp_uri):
    journey = new_journey()
    steps = story(journey, START)
    with ServiceRpcProxy("journey", journey_service) as rpc:
        for number, step in enumerate(steps, start=1):
            publish(amqp_uri, step.event)
            seen = wait_for(lambda n=number: _at_least(rpc, journey, n),
                            message=f"fact {number} ({step.event.type}) never reached the timeline")
            assert (seen["stage"], seen["waiting_for"]) == (step.stage, step.waiting), step.event.type
        final = rpc.timeline(journey)
    assert [e["event_id"] for e in final["entries"]] == [s.event.event_id for s in steps]
    assert all(e["caused_by"] == s.event.causation_id for e, s in zip(final["entries"], steps, strict=True))
    assert final["entries"][3]["caused_by_type"] == "screening_step_completed"


def _at_least(rpc, journey: str, count: int) -> dict | None:
    """The timeline once it holds `count` facts (none at all is a 404 until the first arrives)."""
    try:
        timeline = rpc.timeline(journey)
    except RemoteError as exc:
        assert exc.exc_type == "NotFound"
        return None
    return timeline if len(timeline["entries"]) >= count else None


def test_duplicated_and_shuffled_events_give_the_same_projection_as_in_order_delivery(
        journey_service, amqp_uri, journey_db):
    in_order, shuffled = new_journey(), new_journey()
    publish(amqp_uri, *(step.event for step in story(in_order, START)))
    events = [step.event for step in story(shuffled, START)] * 2
    random.Random(7).shuffle(events)
    publish(amqp_uri, *events)
    wait_for(lambda: queues_idle(amqp_uri), message="the journey service never caught up")
    wait_for(lambda: len(_snapshot(journey_db, shuffled)["timeline"]) == 25)
    ordered, mixed = _snapshot(journey_db, in_order), _snapshot(journey_db, shuffled)
    assert [e["type"] for e in mixed["timeline"]] == [e["type"] for e in ordered["timeline"]]
    assert _comparable(mixed, shuffled) == _comparable(ordered, in_order)


def _comparable(snapshot: dict, journey_id: str) -> dict:
    """The projection with ids and the rows' write versions taken out (two journeys, same story)."""
    ids = ("journey_id", "event_id", "caused_by", "version")
    return {"journeys": [{k: v for k, v in row.items() if k not in ids} for row in snapshot["journeys"]],
            "timeline": [{k: v for k, v in row.items() if k not in ids} for row in snapshot["timeline"]]}


def test_rebuilding_from_the_history_gives_the_same_projection(journey_service, amqp_uri, journey_db):
    journey = new_journey()
    publish(amqp_uri, *(step.event for step in story(journey, START)))
    wait_for(lambda: len(_snapshot(journey_db, journey)["timeline"]) == 25)
    wait_for(lambda: queues_idle(amqp_uri))
    before = _snapshot(journey_db)
    with ServiceRpcProxy("journey", journey_service) as rpc:
        counts = rpc.rebuild_projection()
    assert counts["journeys"] == len(before["journeys"]) and counts["events"] >= 25
    assert _snapshot(journey_db) == before
    projection.rebuild(journey_db)  # on the store directly
    assert _snapshot(journey_db) == before
    command = subprocess.run([sys.executable, "-m", "ops", "rebuild-projections", "--database-url",
                              journey_db.url], cwd=ROOT, capture_output=True, text=True)
    assert command.returncode == 0, command.stderr
    assert f"{counts['journeys']} journeys" in command.stdout
    assert _snapshot(journey_db) == before
