"""Provider events: stored once when the gateway hands them over, applied to the ledger in batches.

Storing a webhook is one insert, so the gateway can acknowledge it fast; applying
it is where its money is counted. Facts merge in any order, so a batch needs no
sorting. An event that keeps failing is set aside after MAX_ATTEMPTS, with its
error's name.

An event whose invoice does not exist yet is kept as `unmatched`; when the
invoice is issued (or a later sweep finds it), it is put back in line and
applied like any other, once. The facts it causes name the webhook as their
cause (`webhook:<provider event id>`) and the provider as their actor.
"""
import json
import logging
from collections import defaultdict
from dataclasses import asdict
from functools import partial

from sqlalchemy import or_, select, update

from services.payments.domain import provider_events
from services.payments.handlers import books, settlement
from services.payments.models import Invoice, ProviderEvent
from shared.clock import ClinicClock
from shared.db import UnitOfWork
from shared.errors import Conflict, NotFound

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
UNMATCHED = "unmatched"


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
            "processed_at": None if journey else now, "outcome": None if journey else UNMATCHED,
            "attempts": 0})
    return {"stored": stored, "duplicate": not stored, "ignored": False}


def process_pending(store, wake, clock: ClinicClock, limit: int = 500, actor: str | None = None) -> int:
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
    uow = partial(UnitOfWork, store, "payments", wake, context={"actor": actor})
    try:
        apply_events(uow(), clock, by_journey)
    except Exception:
        for journey_id, ids in by_journey.items():
            try:
                apply_events(uow(), clock, {journey_id: ids})
            except Exception:
                for event_id in ids:
                    _apply_alone(uow, store, clock, journey_id, event_id)
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
        last_of = {}
        for row in rows:
            book = found.get(row.journey_id)
            uow.context["causation_id"] = last_of[row.journey_id] = webhook_cause(row.id)
            fact = provider_events.Fact(**json.loads(row.data))
            row.outcome = settlement.apply_fact(uow, book, fact, now) if book else UNMATCHED
            row.processed_at = now
            row.invoice_id = book.invoice.id if book else row.invoice_id  # kept: it may be issued later
        for journey_id in sorted(set(last_of) & set(found)):
            uow.context["causation_id"] = last_of[journey_id]  # a milestone is caused by its last payment
            settlement.settle(uow, found[journey_id], now)


def mark_handled(uow, clock: ClinicClock, event_id: str, note: str) -> dict:
    """Finance dealt with an event that matched no invoice: it leaves the attention list, with
    who, when and finance's note kept on it, and is never applied to an invoice later."""
    with uow:
        row = uow.session.get(ProviderEvent, event_id, with_for_update=True)
        if row is None:
            raise NotFound("There is no provider event with this id.", provider_event_id=event_id)
        if row.handled_at is not None:
            raise Conflict("This provider event is already marked as handled.", provider_event_id=event_id)
        if row.outcome != UNMATCHED or row.processed_at is None:
            raise Conflict("This provider event matched an invoice (or is still being applied); only one "
                           "that matched nothing is handled by hand.", provider_event_id=event_id)
        row.handled_at, row.handled_by, row.handled_note = clock.now(), uow.actor, note
        return {"provider_event_id": row.id, "handled_at": row.handled_at, "handled_by": row.handled_by,
                "note": row.handled_note}


def webhook_cause(event_id: str) -> str:
    """The causation id of facts read from a provider webhook (as `request:<id>` for staff requests)."""
    return f"webhook:{event_id}"


def rematch(session, *, journey_id: str | None = None, invoice_id: str | None = None) -> int:
    """Put unmatched events whose invoice now exists back in line to be applied; returns how many.

    With an invoice (just issued): the events naming its journey or its id. Without:
    every unmatched event whose journey or invoice has an invoice (the sweep).
    Applying stays the processor's: the same ledger path, in the order received.
    """
    # One finance marked as handled stays set aside: its money was dealt with by hand.
    unmatched = (ProviderEvent.outcome == UNMATCHED, ProviderEvent.processed_at.is_not(None),
                 ProviderEvent.handled_at.is_(None))
    if journey_id is not None:
        names_it = or_(ProviderEvent.journey_id == journey_id, ProviderEvent.invoice_id == invoice_id)
        return _update(session, update(ProviderEvent).where(*unmatched, names_it).values(
            journey_id=journey_id, invoice_id=invoice_id, processed_at=None, outcome=None))
    journey_of = select(Invoice.journey_id).where(Invoice.id == ProviderEvent.invoice_id).scalar_subquery()
    _update(session, update(ProviderEvent).where(*unmatched, ProviderEvent.journey_id.is_(None),
                                                 ProviderEvent.invoice_id.in_(select(Invoice.id)))
            .values(journey_id=journey_of))
    return _update(session, update(ProviderEvent).where(
        *unmatched, ProviderEvent.journey_id.in_(select(Invoice.journey_id)))
        .values(processed_at=None, outcome=None))


def _update(session, statement) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount


def _apply_alone(uow, store, clock: ClinicClock, journey_id: str, event_id: str) -> None:
    try:
        apply_events(uow(), clock, {journey_id: [event_id]})
    except Exception as exc:
        log.exception("a provider event could not be applied", extra={"journey_id": journey_id})
        with store.session() as session:
            row = session.get(ProviderEvent, event_id)
            row.attempts += 1
            row.outcome = f"failed: {type(exc).__name__}"[:60]
            if row.attempts >= MAX_ATTEMPTS:
                row.processed_at = clock.now()  # set aside; shown with the invoice's events
