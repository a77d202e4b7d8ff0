"""Provider events read into facts: only ids, amounts and codes survive."""
import json
from types import SimpleNamespace

import pytest

from services.payments.domain import provider_events as webhooks
from services.payments.tests import factories
from shared.errors import Invalid

INVOICE = SimpleNamespace(id="6f1c7a52-3c1e-4f7e-9a59-3f0f6a1d2b11",
                          journey_id="0b8f0d2e-8a53-4f0e-9f0e-1d3c5b7a9e21")


def test_a_successful_payment_states_its_intent_amount_and_invoice():
    fact = webhooks.read(factories.succeeded(INVOICE, 12_345, intent="pi_abc"))
    assert (fact.type, fact.payment_ref, fact.amount_cents) == (webhooks.SUCCEEDED, "pi_abc", 12_345)
    assert (fact.invoice_id, fact.journey_id) == (INVOICE.id, INVOICE.journey_id)


def test_a_refund_states_the_charge_amount_and_the_refunded_total():
    fact = webhooks.read(factories.refunded(INVOICE, "pi_abc", 10_000, 2_500))
    assert (fact.payment_ref, fact.amount_cents, fact.refunded_cents) == ("pi_abc", 10_000, 2_500)


def test_a_failure_keeps_the_decline_code_only():
    fact = webhooks.read(factories.failed(INVOICE, "pi_abc", 10_000, code="insufficient_funds"))
    assert fact.code == "insufficient_funds"


def test_billing_details_are_never_kept():
    event = factories.succeeded(INVOICE, 100)
    event["data"]["object"]["billing_details"] = {"name": "A. Patient", "email": "a@example.org"}
    fact = webhooks.read(event)
    assert "example.org" not in json.dumps(fact.__dict__)


def test_an_event_type_the_ledger_does_not_use_is_ignored():
    assert webhooks.read({"id": "evt_1", "type": "customer.created", "data": {"object": {}}}) is None


@pytest.mark.parametrize("amount", [12.5, "100", -1, True])
def test_an_amount_that_is_not_whole_cents_is_refused(amount):
    event = factories.succeeded(INVOICE, 100)
    event["data"]["object"]["amount_received"] = amount
    with pytest.raises(Invalid):
        webhooks.read(event)


def test_metadata_that_is_not_an_id_is_dropped():
    event = factories.succeeded(INVOICE, 100)
    event["data"]["object"]["metadata"] = {"invoice_id": "'; drop table", "journey_id": None}
    fact = webhooks.read(event)
    assert (fact.invoice_id, fact.journey_id) == (None, None)


@pytest.mark.parametrize("field, value", [("created", 2**70), ("amount", 2**64)])
def test_a_number_no_real_event_has_is_refused_not_stored(field, value):
    event = factories.succeeded(INVOICE, 12_345, intent="pi_big")
    target = event if field == "created" else event["data"]["object"]
    target[field] = value
    target.pop("amount_received", None)
    with pytest.raises(Invalid):
        webhooks.read(event)


def test_a_closed_dispute_states_its_outcome_deadline_and_payment():
    event = factories.dispute_closed(INVOICE, "pi_abc", 10_000, "lost", due_by=1_767_225_600)
    fact = webhooks.read(event)
    assert (fact.type, fact.payment_ref, fact.amount_cents) == (webhooks.DISPUTE_CLOSED, "pi_abc", 10_000)
    assert (fact.status, fact.due_by) == ("lost", 1_767_225_600)


def test_a_new_dispute_states_its_evidence_deadline():
    fact = webhooks.read(factories.disputed(INVOICE, "pi_abc", 10_000, due_by=1_767_225_600))
    assert (fact.type, fact.due_by, fact.status) == (webhooks.DISPUTED, 1_767_225_600, None)


def test_an_event_set_aside_says_why_it_matched_no_invoice():
    def why(journey=None, invoice=None, payment=None):
        return webhooks.why_unmatched(journey_id=journey, invoice_id=invoice, payment_ref=payment)
    assert "journey" in why(journey=INVOICE.journey_id)
    assert "never issued" in why(invoice=INVOICE.id, payment="pi_1")
    assert "no invoice asked" in why(payment="pi_1")
    assert "no invoice, journey or payment" in why()
