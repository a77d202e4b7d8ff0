"""Use cases: invoices on acceptance, payment requests, provider events, surgery dates, erasure."""
import json
from dataclasses import asdict
from datetime import date, datetime

from sqlalchemy import select

from services.payments import domain, repository, webhooks
from services.payments.models import Invoice, PaymentRequest, ProviderEvent
from services.payments.settings import Settings


def open_invoice(uow, event, conf: Settings, today: date, now: datetime, invoice_id: str) -> None:
    """A patient was accepted: issue the invoice for their treatment package (once per journey)."""
    with uow:
        if uow.session.scalar(select(Invoice.id).where(Invoice.journey_id == event.journey_id)):
            return
        payload = event.payload
        q = domain.quote(conf.price_list, payload["amputation_level"], payload["amputation_side"],
                         deposit_percent=conf.deposit_percent, issued_on=today,
                         deposit_due_days=conf.deposit_due_days)
        uow.session.add(Invoice(
            id=invoice_id, journey_id=event.journey_id, package=q.package, currency=conf.currency,
            total_cents=q.total_cents, deposit_cents=q.deposit_cents, owed_cents=q.total_cents,
            paid_cents=0, refunded_cents=0, refunds_requested_cents=0, refund_due_cents=0,
            disputed_cents=0, deposit_due=q.deposit_due, issued_at=now))
        uow.emit("invoice_issued", {
            "invoice_id": invoice_id, "currency": conf.currency, "total_cents": q.total_cents,
            "deposit_cents": q.deposit_cents, "balance_cents": q.total_cents - q.deposit_cents,
            "deposit_due": q.deposit_due, "balance_due": None}, event.journey_id)


def request_payment(uow, provider, event, now: datetime) -> None:
    """Ask the provider for the deposit and the balance; keys make a retry ask nothing twice."""
    with uow:
        invoice = uow.session.get(Invoice, event.payload["invoice_id"])
        parts = (("deposit", invoice.deposit_cents), ("balance", invoice.total_cents - invoice.deposit_cents))
        for kind, amount in parts:
            key = f"payreq:{invoice.id}:{kind}"
            if amount <= 0 or uow.session.scalar(select(PaymentRequest.id).where(
                    PaymentRequest.idempotency_key == key)):
                continue
            ref = provider.create_payment_request(
                idempotency_key=key, amount_cents=amount, currency=invoice.currency,
                metadata={"invoice_id": invoice.id, "journey_id": invoice.journey_id, "kind": kind})
            uow.session.add(PaymentRequest(invoice_id=invoice.id, kind=kind, amount_cents=amount,
                                           idempotency_key=key, provider_ref=ref, created_at=now))


def store_provider_event(uow, event: dict, now: datetime) -> dict:
    """Store a verified webhook once (by event id); the background processor applies it."""
    fact = webhooks.read(event)
    if fact is None:
        return {"stored": False, "duplicate": False, "ignored": True}
    with uow:
        journey = fact.journey_id or repository.journey_of(
            uow.session, invoice_id=fact.invoice_id, payment_ref=fact.payment_ref)
        stored = repository.insert_ignore(uow.session, ProviderEvent.__table__, {
            "id": fact.event_id, "type": fact.type, "created": fact.created, "journey_id": journey,
            "invoice_id": fact.invoice_id, "data": json.dumps(asdict(fact)), "received_at": now,
            "processed_at": None if journey else now, "outcome": None if journey else "unmatched",
            "attempts": 0})
    return {"stored": stored, "duplicate": not stored, "ignored": False}


def set_surgery_date(uow, event, conf: Settings) -> None:
    """Surgery was (re)scheduled: the balance falls due a set number of days before it."""
    with uow:
        book = repository.book(uow.session, event.journey_id)
        if book is None:
            return
        invoice = book.invoice
        invoice.surgery_date = event.payload["surgery_date"]
        invoice.balance_due = domain.balance_due(invoice.surgery_date, conf.balance_due_days_before_surgery)


def confirm_erasure(uow, event) -> None:
    """Payments holds ids and amounts only, never an enquirer's personal data: nothing to erase."""
    with uow:
        uow.emit("erasure_confirmed", {"request_id": event.payload["request_id"], "service": "payments",
                                       "erased": True, "retained_reason": None}, event.journey_id)
