"""A second opinion's facts on the real broker, into the projection on PostgreSQL: its waits, and the
board flagging it when it waits too long for an appointment or for its outcome."""
from datetime import UTC, datetime, timedelta

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from services.journey.tests.conftest import publish
from services.journey.tests.story import event, new_journey
from shared.testing.infra import wait_for

LONG_AGO = datetime.now(UTC) - timedelta(days=40)


def _facts(journey: str, *specs) -> list:
    return [event("enquiries", kind, dict(payload, enquiry_id="E"), journey, at=LONG_AGO + timedelta(days=n))
            for n, (kind, payload) in enumerate(specs)]


def _timeline_of(rpc, journey: str, count: int) -> dict:
    return wait_for(lambda: _with(rpc, journey, count), message=f"{count} facts on the timeline")


def _with(rpc, journey: str, count: int):
    try:
        found = rpc.timeline(journey)
    except RemoteError as exc:  # not projected yet
        assert exc.exc_type == "NotFound"
        return None
    return found if len(found["entries"]) >= count else None


def test_a_second_opinion_left_unbooked_then_held_without_outcome_is_stalled_until_it_is_concluded(
        journey_service, amqp_uri):
    journey = new_journey()
    asked = [("enquiry_received", {"kind": "second_opinion", "country": "DE", "preferred_language": "de"}),
             ("second_opinion_requested", {"preferred_date": None})]
    publish(amqp_uri, *_facts(journey, *asked))
    with ServiceRpcProxy("journey", journey_service) as rpc:
        waiting = _timeline_of(rpc, journey, 2)
        assert (waiting["stage"], waiting["waiting_for"]) == ("second_opinion",
                                                              ["second_opinion_appointment"])
        assert [s["reason"] for s in waiting["stalled"]] == ["second_opinion_unbooked"]
        board = rpc.board(stage="second_opinion", stalled_only=True)
        assert journey in [item["journey_id"] for item in board]

        appointment = {"appointment_id": 7}
        booked_and_held = asked + [
            ("second_opinion_booked", dict(appointment, scheduled_at=LONG_AGO + timedelta(days=3))),
            ("second_opinion_held", appointment)]
        publish(amqp_uri, *_facts(journey, *booked_and_held)[2:])
        held = _timeline_of(rpc, journey, 4)
        assert held["waiting_for"] == ["second_opinion_outcome"]
        assert [s["reason"] for s in held["stalled"]] == ["second_opinion_outcome_missing"]

        concluded = booked_and_held + [("second_opinion_concluded", {"outcome": "no_action_needed"})]
        publish(amqp_uri, *_facts(journey, *concluded)[4:])
        done = _timeline_of(rpc, journey, 5)
        assert (done["stage"], done["waiting_for"], done["stalled"]) == ("second_opinion_concluded", [], [])
        assert done["entries"][-1]["summary"] == "Second opinion concluded: no action needed"
        assert journey not in [item["journey_id"] for item in rpc.board(stalled_only=True)]
