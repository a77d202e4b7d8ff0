"""The background processor on its own (no broker): batches, and an event that cannot be applied."""
import json
import types
import uuid
from dataclasses import asdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from services.payments import models
from services.payments.domain import provider_events as webhooks
from services.payments.handlers import provider_events as processing
from services.payments.tests import factories
from shared.clock import ClinicClock
from shared.db import Store
from shared.migrations import upgrade

CLOCK = ClinicClock()


@pytest.fixture
def store(db_url):
    upgrade("payments", db_url)
    store = Store(db_url, models.kernel)
    yield store
    store.dispose()


def invoice(store, journey_id: str | None = None) -> models.Invoice:
    row = models.Invoice(id=str(uuid.uuid4()), journey_id=journey_id or str(uuid.uuid4()),
                         package="transfemoral", currency="EUR", total_cents=1000, deposit_cents=500,
                         owed_cents=1000, paid_cents=0,
                         refunded_cents=0, refunds_requested_cents=0, refund_due_cents=0, disputed_cents=0,
                         deposit_due=date(2030, 1, 1), issued_at=datetime.now(UTC))
    with store.session() as session:
        session.add(row)
    return row


def stored(store, inv, event: dict, data: str | None = None) -> str:
    fact = webhooks.read(event)
    with store.session() as session:
        session.add(models.ProviderEvent(id=fact.event_id, type=fact.type, created=0, invoice_id=inv.id,
                                         journey_id=inv.journey_id, data=data or json.dumps(asdict(fact)),
                                         received_at=datetime.now(UTC), attempts=0))
    return fact.event_id


def event_row(store, event_id) -> models.ProviderEvent:
    with store.session() as session:
        return session.get(models.ProviderEvent, event_id)


def test_a_batch_of_instalments_on_several_invoices_is_applied_in_one_go(store):
    first, second = invoice(store), invoice(store)
    for inv, amount in ((first, 300), (first, 300), (second, 1000)):
        stored(store, inv, factories.succeeded(inv, amount))
    assert processing.process_pending(store, lambda: None, CLOCK) == 3
    with store.session() as session:
        paid = {i.journey_id: (i.paid_cents, i.deposit_paid_at is not None, i.paid_at is not None)
                for i in session.scalars(select(models.Invoice))}
    assert paid == {first.journey_id: (600, True, False), second.journey_id: (1000, True, True)}


def test_an_event_that_cannot_be_applied_holds_back_no_other_and_is_set_aside_after_retries(store):
    inv = invoice(store)
    good = stored(store, inv, factories.succeeded(inv, 700))
    bad = stored(store, inv, factories.succeeded(inv, 100), data="{not json")
    processing.process_pending(store, lambda: None, CLOCK)
    assert event_row(store, good).processed_at is not None
    assert (event_row(store, bad).attempts, event_row(store, bad).outcome) == (1, "failed: JSONDecodeError")
    for _ in range(processing.MAX_ATTEMPTS - 1):
        processing.process_pending(store, lambda: None, CLOCK)
    assert event_row(store, bad).processed_at is not None
    assert processing.process_pending(store, lambda: None, CLOCK) == 0


def test_an_event_stored_before_its_invoice_is_applied_once_when_the_invoice_appears(store):
    journey_id = str(uuid.uuid4())
    early = factories.succeeded(types.SimpleNamespace(id=None, journey_id=journey_id), 600)
    fact = webhooks.read(early)
    with store.session() as session:
        session.add(models.ProviderEvent(id=fact.event_id, type=fact.type, created=0, journey_id=journey_id,
                                         data=json.dumps(asdict(fact)), received_at=datetime.now(UTC),
                                         attempts=0))
    processing.process_pending(store, lambda: None, CLOCK)
    assert event_row(store, fact.event_id).outcome == "unmatched"
    inv = invoice(store, journey_id)
    with store.session() as session:
        assert processing.rematch(session, journey_id=journey_id, invoice_id=inv.id) == 1
    assert processing.process_pending(store, lambda: None, CLOCK, actor="provider:sandbox") == 1
    with store.session() as session:   # the sweep finds nothing more, the next round applies nothing
        assert processing.rematch(session) == 0
    assert processing.process_pending(store, lambda: None, CLOCK) == 0
    assert (event_row(store, fact.event_id).outcome, event_row(store, fact.event_id).invoice_id) == (
        "succeeded", inv.id)
    with store.session() as session:
        assert session.get(models.Invoice, inv.id).paid_cents == 600
        outbox = models.kernel.outbox
        bodies = [json.loads(b) for b in session.scalars(select(outbox.c.body).where(
            outbox.c.journey_id == journey_id))]
    assert [(b["type"], b["causation_id"], b["actor"]) for b in bodies] == [
        ("deposit_paid", f"webhook:{fact.event_id}", "provider:sandbox")]


def test_the_sweep_matches_an_event_known_only_by_its_invoice_once_that_invoice_exists(store):
    inv = invoice(store)
    event = factories.succeeded(inv, 300)
    del event["data"]["object"]["metadata"]["journey_id"]
    fact = webhooks.read(event)
    with store.session() as session:   # stored while the invoice was unknown here: no journey
        session.add(models.ProviderEvent(id=fact.event_id, type=fact.type, created=0, invoice_id=inv.id,
                                         data=json.dumps(asdict(fact)), received_at=datetime.now(UTC),
                                         processed_at=datetime.now(UTC), outcome="unmatched", attempts=0))
    with store.session() as session:
        assert processing.rematch(session) == 1
    assert processing.process_pending(store, lambda: None, CLOCK) == 1
    assert event_row(store, fact.event_id).outcome == "succeeded"
