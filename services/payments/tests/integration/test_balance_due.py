"""The balance through the real stack: dated by the surgery (announced, and again when it moves), and
on finance's list once unpaid past its due date."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.payments.tests import factories
from services.payments.tests.integration.test_money_flow import deliver, processed
from shared.clock import ClinicClock
from shared.testing.infra import wait_for


def plan(surgery: date) -> dict:
    return {"surgery_id": "s-1", "arrival_by": (surgery - timedelta(days=2)).isoformat(),
            "preop_check_date": (surgery - timedelta(days=1)).isoformat(),
            "surgery_date": surgery.isoformat(),
            "planned_ward_discharge": (surgery + timedelta(days=4)).isoformat(),
            "planned_rehab_end": (surgery + timedelta(days=35)).isoformat(),
            "departure_date": (surgery + timedelta(days=36)).isoformat()}


def dated(stack, journey_id) -> list[tuple[str, int]]:
    return [(p["balance_due"], p["balance_cents"]) for p in stack.payloads(journey_id, "balance_due_dated")]


def test_the_balance_is_announced_when_surgery_dates_it_and_again_only_when_it_moves(stack, journey_id):
    invoice = stack.accept(journey_id)
    deposit = factories.succeeded(invoice, 2_250_000)
    deliver(stack, deposit)
    processed(stack, deposit)
    stack.publish("surgery", "surgery_scheduled", plan(date(2027, 3, 20)), journey_id)
    wait_for(lambda: dated(stack, journey_id), message="the dated balance is not announced")
    assert dated(stack, journey_id) == [("2027-03-06", 2_250_000)]   # 14 days before surgery, what is owed
    assert stack.payloads(journey_id, "balance_due_dated")[0]["invoice_id"] == invoice.id
    moved = dict(plan(date(2027, 4, 10)), reason_code="not_fit_at_preop")
    stack.publish("surgery", "surgery_rescheduled", moved, journey_id)
    wait_for(lambda: len(dated(stack, journey_id)) == 2, message="the moved balance is not announced")
    again = stack.publish("surgery", "surgery_rescheduled", dict(moved, reason_code="other"), journey_id)
    wait_for(lambda: stack.handled(again), message="the repeated date is not handled")
    stack.publish("surgery", "surgery_rescheduled", dict(plan(date(2027, 5, 1)), reason_code="x"), journey_id)
    wait_for(lambda: len(dated(stack, journey_id)) == 3)
    assert dated(stack, journey_id) == [("2027-03-06", 2_250_000), ("2027-03-27", 2_250_000),
                                        ("2027-04-17", 2_250_000)]   # the same date twice: said once


def test_an_unpaid_balance_past_its_due_date_is_on_finances_list_until_it_is_paid(stack, journey_id):
    invoice = stack.accept(journey_id)
    today = ClinicClock().today()
    deposit = factories.succeeded(invoice, 2_250_000)
    deliver(stack, deposit)
    processed(stack, deposit)
    due = today - timedelta(days=9)
    stack.publish("surgery", "surgery_scheduled", plan(today + timedelta(days=5)), journey_id)
    (item,) = wait_for(lambda: stack.attention(journey_id, "balance_overdue"), message="balance not listed")
    assert (item["invoice_id"], item["amount_cents"]) == (invoice.id, 2_250_000)
    due_day_ended = datetime.combine(today - timedelta(days=8), time(0), ZoneInfo("Europe/Amsterdam"))
    assert datetime.fromisoformat(item["deadline"]) == due_day_ended   # carries its offset
    assert str(due) in item["reason"]
    rest = factories.succeeded(invoice, 2_250_000)
    deliver(stack, rest)
    processed(stack, rest)
    assert stack.attention(journey_id, "balance_overdue") == []


def test_a_balance_due_today_or_later_is_not_overdue(stack, journey_id):
    stack.accept(journey_id)
    today = ClinicClock().today()
    stack.publish("surgery", "surgery_scheduled", plan(today + timedelta(days=14)), journey_id)  # due today
    wait_for(lambda: dated(stack, journey_id), message="the dated balance is not announced")
    assert stack.attention(journey_id, "balance_overdue") == []
