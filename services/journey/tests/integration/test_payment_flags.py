"""The board on the real broker and PostgreSQL shows a journey whose payment is disputed, and one whose
balance is unpaid past its due date (judged by the clinic's clock when the board is read)."""
from datetime import UTC, date, datetime, timedelta

from nameko.standalone.rpc import ServiceRpcProxy

from services.journey.tests.conftest import publish
from services.journey.tests.story import event, new_journey, story
from shared.clock import ClinicClock
from shared.testing.infra import wait_for

START = datetime(2025, 3, 3, 9, tzinfo=UTC)
SCHEDULED = 12   # the story's facts up to the surgery being scheduled


def _on_board(rpc, journey: str, count: int) -> dict | None:
    found = [item for item in rpc.board(stage="surgery_planned") if item["journey_id"] == journey]
    return found[0] if found and found[0]["event_count"] >= count else None


def test_the_board_flags_a_disputed_payment_and_an_overdue_balance(journey_service, amqp_uri):
    journey, due = new_journey(), ClinicClock().today() - timedelta(days=3)
    later = START + timedelta(days=1)
    money = [event("payments", "balance_due_dated", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                                     "balance_due": due}, journey, at=later),
             event("payments", "payment_disputed", {
                 "invoice_id": "I-1", "dispute_id": "dp_1", "amount_cents": 2_000_000,
                 "evidence_due_by": later + timedelta(days=10)}, journey, at=later + timedelta(hours=1))]
    publish(amqp_uri, *[step.event for step in story(journey, START)[:SCHEDULED]], *money)
    with ServiceRpcProxy("journey", journey_service) as rpc:
        item = wait_for(lambda: _on_board(rpc, journey, SCHEDULED + 2), message="the journey is not listed")
        assert (item["payment_disputed"], item["balance_due"]) == (True, due.isoformat())
        assert item["waiting_for"][0] == "dispute_resolution"
        overdue = {"reason": "balance_overdue", "since": (due + timedelta(days=1)).isoformat()}
        assert overdue in item["stalled"]
        closed = event("payments", "payment_dispute_closed", {"invoice_id": "I-1", "dispute_id": "dp_1",
                                                               "outcome": "won", "amount_cents": 2_000_000},
                       journey, at=later + timedelta(hours=2))
        publish(amqp_uri, closed)
        item = wait_for(lambda: _on_board(rpc, journey, SCHEDULED + 3), message="the closing is not seen")
        assert item["payment_disputed"] is False and "dispute_resolution" not in item["waiting_for"]
    assert date.fromisoformat(item["balance_due"]) == due
