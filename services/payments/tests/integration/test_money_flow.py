"""Money through the real stack: signed events in any order, instalments, failures, the balance's due
date, finance's pages."""
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import eventlet
import pytest
import requests

from services.payments import models
from services.payments.tests import factories
from services.payments.tests.integration.conftest import NEW_SECRET
from shared.clock import CLOCK_FILE, ClinicClock, set_simulated
from shared.testing.infra import wait_for


def deliver(stack, *events) -> None:
    for event in events:
        body, headers = factories.signed(event, NEW_SECRET)
        response = requests.post(f"{stack.gateway}/api/webhooks/payments", data=body, headers=headers,
                                 timeout=30)
        assert response.status_code == 200, response.text


def view_invoice(stack, journey_id) -> requests.Response:
    url = f"{stack.gateway}/api/journeys/{journey_id}/invoice"
    return requests.get(url, headers=stack.staff(), timeout=10)


def processed(stack, *events) -> None:
    ids = [e["id"] for e in events]
    wait_for(lambda: stack.count(models.ProviderEvent, models.ProviderEvent.id.in_(ids),
                                 models.ProviderEvent.processed_at.is_not(None)) == len(set(ids)),
             message="provider events not processed")


def test_an_accepted_patient_gets_an_invoice_and_payment_requests_at_the_provider(stack, journey_id):
    invoice = stack.accept(journey_id)
    assert (invoice.total_cents, invoice.deposit_cents) == (4_500_000, 2_250_000)
    assert invoice.package == "transfemoral"
    assert stack.emitted(journey_id, "invoice_issued") == 1
    wait_for(lambda: stack.count(models.PaymentRequest, models.PaymentRequest.invoice_id == invoice.id) == 2)
    at_provider = requests.get(f"{stack.sandbox}/sandbox/payment_intents", timeout=10).json()
    mine = sorted(i["amount"] for i in at_provider if i["metadata"].get("journey_id") == journey_id)
    assert mine == [2_250_000, 2_250_000]


def test_a_deposit_paid_in_two_instalments_is_announced_once(stack, journey_id):
    invoice = stack.accept(journey_id)
    first, second = factories.succeeded(invoice, 1_000_000), factories.succeeded(invoice, 1_250_000)
    deliver(stack, first, first, second, second, first)
    processed(stack, first, second)
    assert stack.invoice(journey_id).paid_cents == 2_250_000
    assert stack.emitted(journey_id, "deposit_paid") == 1
    later = factories.succeeded(invoice, 500_000)
    deliver(stack, later)
    processed(stack, later)
    assert stack.emitted(journey_id, "deposit_paid") == 1
    assert stack.emitted(journey_id, "invoice_paid") == 0


def test_a_refund_arriving_before_its_payment_ends_in_the_same_state(stack, journey_id):
    invoice = stack.accept(journey_id)
    payment = factories.succeeded(invoice, 2_250_000, intent="pi_refund_first_" + journey_id[:8])
    refund = factories.refunded(invoice, payment["data"]["object"]["id"], 2_250_000, 250_000)
    deliver(stack, refund)
    processed(stack, refund)
    deliver(stack, payment)
    processed(stack, payment)
    now = stack.invoice(journey_id)
    assert (now.paid_cents, now.refunded_cents) == (2_250_000, 250_000)
    assert stack.count(models.Payment, models.Payment.invoice_id == invoice.id) == 1
    assert stack.emitted(journey_id, "refund_issued") == 1
    assert stack.emitted(journey_id, "deposit_paid") == 0  # 2,000,000 kept is less than the deposit


def test_a_failure_delivered_after_the_success_leaves_the_payment_standing(stack, journey_id):
    invoice = stack.accept(journey_id)
    payment = factories.succeeded(invoice, 2_250_000)
    failure = factories.failed(invoice, payment["data"]["object"]["id"], 2_250_000)
    deliver(stack, payment)
    processed(stack, payment)
    deliver(stack, failure)
    processed(stack, failure)
    assert stack.invoice(journey_id).paid_cents == 2_250_000
    assert stack.emitted(journey_id, "payment_failed") == 0
    assert stack.emitted(journey_id, "deposit_paid") == 1


def test_a_failed_payment_is_announced_and_finance_sees_the_deposit_outstanding(stack, journey_id):
    invoice = stack.accept(journey_id)
    failure = factories.failed(invoice, "pi_declined_" + journey_id[:8], 2_250_000, code="insufficient_funds")
    deliver(stack, failure)
    processed(stack, failure)
    assert stack.emitted(journey_id, "payment_failed") == 1
    rows = requests.get(f"{stack.gateway}/api/payments/outstanding-deposits", headers=stack.staff(),
                        timeout=10).json()
    mine = [row for row in rows if row["journey_id"] == journey_id]
    assert mine[0]["last_failure_code"] == "insufficient_funds"
    view = view_invoice(stack, journey_id)
    assert view.json()["status"] == "payment_failed"


def test_an_overpayment_is_recorded_and_flagged_for_a_refund(stack, journey_id):
    invoice = stack.accept(journey_id)
    full, extra = factories.succeeded(invoice, 4_500_000), factories.succeeded(invoice, 30_000)
    deliver(stack, full, extra)
    processed(stack, full, extra)
    assert stack.invoice(journey_id).refund_due_cents == 30_000
    assert stack.emitted(journey_id, "invoice_paid") == 1
    assert [item["amount_cents"] for item in stack.attention(journey_id, "overpaid")] == [30_000]
    view = view_invoice(stack, journey_id)
    assert (view.json()["overpaid_cents"], view.json()["balance_cents"]) == (30_000, -30_000)


def test_a_dispute_is_recorded_and_shown_to_finance(stack, journey_id):
    invoice = stack.accept(journey_id)
    payment = factories.succeeded(invoice, 2_250_000)
    dispute = factories.disputed(invoice, payment["data"]["object"]["id"], 2_250_000)
    deliver(stack, payment, dispute, dispute)
    processed(stack, payment, dispute)
    view = view_invoice(stack, journey_id).json()
    assert [(d["reason"], d["amount_cents"]) for d in view["disputes"]] == [("fraudulent", 2_250_000)]
    assert {e["type"] for e in view["provider_events"]} == {"payment_intent.succeeded",
                                                            "charge.dispute.created"}
    assert "invoice_issued" in [e["type"] for e in view["events"]]


def test_a_bank_transfer_is_recorded_once_per_reference(stack, journey_id):
    stack.accept(journey_id)
    url = f"{stack.gateway}/api/journeys/{journey_id}/bank-transfers"
    transfer = {"reference": f"NL-{journey_id[:8]}", "amount_cents": 2_250_000, "received_on": "2025-03-02"}
    first = requests.post(url, json=transfer, headers=stack.staff(), timeout=10)
    again = requests.post(url, json=transfer, headers=stack.staff(), timeout=10)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True
    assert first.json()["payment"]["recorded_by"] == "staff:1"
    clash = requests.post(url, json=dict(transfer, amount_cents=1), headers=stack.staff(), timeout=10)
    assert clash.status_code == 409
    assert stack.invoice(journey_id).paid_cents == 2_250_000
    assert stack.emitted(journey_id, "deposit_paid") == 1


def test_only_finance_staff_see_invoices(stack, journey_id):
    stack.accept(journey_id)
    url = f"{stack.gateway}/api/journeys/{journey_id}/invoice"
    assert requests.get(url, headers=stack.staff("physiotherapist"), timeout=10).status_code == 403
    assert requests.get(url, headers=stack.staff("finance"), timeout=10).status_code == 200


def test_a_scheduled_surgery_sets_when_the_balance_is_due(stack, journey_id):
    stack.accept(journey_id)
    stack.publish("surgery", "surgery_scheduled", plan(date(2025, 9, 3)), journey_id)
    wait_for(lambda: stack.invoice(journey_id).balance_due == date(2025, 8, 20))


# The balance: dated by the surgery (announced, and again when it moves), and on finance's list once
# unpaid past its due date.

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


def test_an_erasure_request_is_confirmed_with_nothing_held(stack, journey_id):
    stack.publish("journey", "erasure_requested", {"request_id": "er-1"}, journey_id)
    wait_for(lambda: stack.emitted(journey_id, "erasure_confirmed") == 1)


# Deadlines as facts: a deposit or a balance not paid by its due date (durable timers).

@pytest.fixture
def clinic_date(tmp_path, monkeypatch):
    """The clinic's simulated date, moved by the test (the services run in this process)."""
    path, today = tmp_path / "clock", ClinicClock().today()
    set_simulated(path, today)
    monkeypatch.setenv(CLOCK_FILE, str(path))
    return lambda days: set_simulated(path, today + timedelta(days=days))


def test_a_deposit_not_paid_by_its_due_date_is_overdue_and_one_paid_in_time_never_is(stack, clinic_date):
    unpaid, paid_invoice = stack.accept(str(uuid.uuid4())).journey_id, stack.accept(str(uuid.uuid4()))
    paid = paid_invoice.journey_id
    transfer = {"reference": f"NL-{paid[:8]}", "amount_cents": paid_invoice.deposit_cents,
                "received_on": ClinicClock().today().isoformat()}
    response = requests.post(f"{stack.gateway}/api/journeys/{paid}/bank-transfers", json=transfer,
                             headers=stack.staff(), timeout=10)
    assert response.status_code == 201, response.text
    due = stack.invoice(unpaid).deposit_due
    clinic_date((due - ClinicClock().today()).days + 1)
    [overdue] = wait_for(lambda: stack.payloads(unpaid, "deposit_overdue"), message="no deposit_overdue")
    assert overdue["deposit_due"] == due.isoformat()
    eventlet.sleep(1.2)  # the timer relay has polled again: once, and nothing for the paid deposit
    assert (stack.emitted(unpaid, "deposit_overdue"), stack.emitted(paid, "deposit_overdue")) == (1, 0)


def test_a_balance_overdue_moves_with_the_surgery_and_fires_once_at_its_new_date(stack, clinic_date):
    invoice = stack.accept(str(uuid.uuid4()))
    journey, today = invoice.journey_id, ClinicClock().today()
    deposit = factories.succeeded(invoice, invoice.deposit_cents)
    deliver(stack, deposit)
    processed(stack, deposit)
    stack.publish("surgery", "surgery_scheduled", plan(today + timedelta(days=30)), journey)
    wait_for(lambda: stack.emitted(journey, "balance_due_dated") == 1)
    stack.publish("surgery", "surgery_rescheduled", dict(plan(today + timedelta(days=60)), reason_code="x"),
                  journey)
    wait_for(lambda: stack.emitted(journey, "balance_due_dated") == 2)
    clinic_date(17)   # past the first due date (surgery - 14 days): moved, so not overdue
    eventlet.sleep(1.2)
    assert stack.emitted(journey, "balance_overdue") == 0
    clinic_date(47)   # past the new one
    [overdue] = wait_for(lambda: stack.payloads(journey, "balance_overdue"), message="no balance_overdue")
    assert (overdue["balance_due"], overdue["balance_cents"]) == (
        (today + timedelta(days=46)).isoformat(), invoice.total_cents - invoice.deposit_cents)
