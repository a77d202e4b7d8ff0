"""The board's payment flags: a disputed payment holds the journey, an unpaid balance past its date is
overdue (judged on the day the board is read)."""
from datetime import UTC, date, datetime, timedelta

from services.journey.domain.projection import project
from services.journey.domain.stalls import Limits, Stall, stalls
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact

START = datetime(2025, 3, 3, 9, tzinfo=UTC)
SCHEDULED = 12   # the story's facts up to the surgery being scheduled
DISPUTE = {"invoice_id": "I-1", "dispute_id": "dp_1", "amount_cents": 2_000_000,
           "evidence_due_by": datetime(2025, 3, 20, 12, tzinfo=UTC)}


def _journey(*extra):
    journey = new_journey()
    facts = [fact(step.event) for step in story(journey, START)[:SCHEDULED]]
    later = START + timedelta(days=1)
    facts += [fact(event("payments", kind, payload, journey, at=later + timedelta(hours=n)))
              for n, (kind, payload) in enumerate(extra)]
    return project(journey, facts)


def test_a_disputed_payment_is_flagged_and_waited_on_first_until_the_bank_decides():
    disputed = _journey(("payment_disputed", DISPUTE))
    assert disputed.progress.payment_disputed is True
    assert disputed.waiting_for[0] == "dispute_resolution"
    for outcome in ("won", "lost"):
        closed = _journey(("payment_disputed", DISPUTE), ("payment_dispute_closed", {
            "invoice_id": "I-1", "dispute_id": "dp_1", "outcome": outcome, "amount_cents": 2_000_000}))
        assert closed.progress.payment_disputed is False
        assert "dispute_resolution" not in closed.waiting_for


def test_the_dated_balance_is_kept_while_unpaid_and_dropped_once_paid_in_full():
    dated = _journey(("balance_due_dated", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                            "balance_due": date(2025, 4, 18)}))
    assert dated.progress.balance_due == date(2025, 4, 18)
    paid = _journey(("balance_due_dated", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                           "balance_due": date(2025, 4, 18)}),
                    ("invoice_paid", {"invoice_id": "I-1", "paid_cents": 4_000_000}))
    assert paid.progress.balance_due is None


def test_an_unpaid_balance_is_a_stall_from_the_day_after_its_due_date():
    progress = _journey(("balance_due_dated", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                               "balance_due": date(2025, 4, 18)})).progress
    assert stalls(progress, date(2025, 4, 18), Limits()) == []
    assert stalls(progress, date(2025, 4, 19), Limits()) == [Stall("balance_overdue", date(2025, 4, 19))]


def test_once_payments_keeps_the_balance_deadline_as_a_fact_the_board_no_longer_judges_it():
    dated = ("balance_due_dated", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                   "balance_due": date(2025, 4, 18)})
    overdue = ("balance_overdue", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                   "balance_due": date(2025, 4, 18)})
    said = _journey(dated, overdue).progress
    assert stalls(said, date(2025, 5, 1), Limits()) == [Stall("balance_overdue", date(2025, 4, 19))]
    moved = _journey(dated, overdue, ("balance_due_dated", dict(dated[1], balance_due=date(2025, 6, 1))))
    assert stalls(moved.progress, date(2025, 5, 1), Limits()) == []   # its timer fires again if need be
