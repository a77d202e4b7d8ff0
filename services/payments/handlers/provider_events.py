"""Provider events: stored once when the gateway hands them over, applied to the ledger in batches.

Storing a webhook is one insert, so the gateway can acknowledge it fast; applying
it is where its money is counted. Facts merge in any order, so a batch needs no
sorting. An event that keeps failing is set aside after MAX_ATTEMPTS, with its
error's name.
"""
import json
import logging
from collections import defaultdict
from dataclasses import asdict

from sqlalchemy import select

from services.payments.domain import provider_events
from services.payments.handlers import books, settlement
from services.payments.models import ProviderEvent
from shared.clock import ClinicClock
from shared.db import UnitOfWork

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def store_provider_event(uow, clock: ClinicClock, event: dict) -> dict:
    """Store a verified webhook once (by event id); the background processor applies it."""
    fact = provider_events.read(event)
    if fact is None:
        return {"stored": False, "duplicate": False, "ignored": True}
    now = clock.now()
    with uow:
        journey = fact.journey_id or books.journey_of(
            uow.session, invoice_id=fact.invoice_id, payment_ref=fact.payment_ref)
        stored = books.insert_ignore(uow.session, ProviderEvent.__table__, {
            "id": fact.event_id, "type": fact.type, "created": fact.created, "journey_id": journey,
            "invoice_id": fact.invoice_id, "data": json.dumps(asdict(fact)), "received_at": now,
            "processed_at": None if journey else now, "outcome": None if journey else "unmatched",
            "attempts": 0})
    return {"stored": stored, "duplicate": not stored, "ignored": False}


def process_pending(store, wake, clock: ClinicClock, limit: int = 500) -> int:
    """Apply up to `limit` stored events; returns how many were pending.

    All in one transaction when it goes well (one commit for the batch); if it
    fails, journey by journey, then event by event, so one bad event holds back
    nothing else.
    """
    with store.session() as session:
        pending = session.execute(select(ProviderEvent.id, ProviderEvent.journey_id)
                                  .where(ProviderEvent.processed_at.is_(None))
                                  .order_by(ProviderEvent.received_at).limit(limit)).all()
    by_journey = defaultdict(list)
    for event_id, journey_id in pending:
        by_journey[journey_id].append(event_id)
    try:
        apply_events(UnitOfWork(store, "payments", wake), clock, by_journey)
    except Exception:
        for journey_id, ids in by_journey.items():
            try:
                apply_events(UnitOfWork(store, "payments", wake), clock, {journey_id: ids})
            except Exception:
                for event_id in ids:
                    _apply_alone(store, wake, clock, journey_id, event_id)
    return len(pending)


def apply_events(uow, clock: ClinicClock, by_journey: dict[str, list[str]]) -> None:
    """Merge the events' facts into their invoices' books, in one transaction."""
    now = clock.now()
    ids = [event_id for ids in by_journey.values() for event_id in ids]
    with uow:
        query = (select(ProviderEvent).where(ProviderEvent.id.in_(ids), ProviderEvent.processed_at.is_(None))
                 .order_by(ProviderEvent.received_at))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)  # another instance may hold some
        rows = uow.session.scalars(query).all()
        found = books.books(uow.session, sorted({row.journey_id for row in rows})) if rows else {}
        for row in rows:
            book = found.get(row.journey_id)
            uow.context["causation_id"] = row.id
            fact = provider_events.Fact(**json.loads(row.data))
            row.outcome = settlement.apply_fact(uow, book, fact, now) if book else "unmatched"
            row.processed_at, row.invoice_id = now, book.invoice.id if book else None
        for journey_id in sorted({row.journey_id for row in rows} & set(found)):
            settlement.settle(uow, found[journey_id], now)


def _apply_alone(store, wake, clock: ClinicClock, journey_id: str, event_id: str) -> None:
    try:
        apply_events(UnitOfWork(store, "payments", wake), clock, {journey_id: [event_id]})
    except Exception as exc:
        log.exception("a provider event could not be applied", extra={"journey_id": journey_id})
        with store.session() as session:
            row = session.get(ProviderEvent, event_id)
            row.attempts += 1
            row.outcome = f"failed: {type(exc).__name__}"[:60]
            if row.attempts >= MAX_ATTEMPTS:
                row.processed_at = clock.now()  # set aside; shown with the invoice's events
