"""Refunds on cancellation: decided by policy, then sent to the provider with idempotency keys."""
import uuid

from sqlalchemy import select

from services.payments.domain import refund_policy
from services.payments.domain.ledger import allocate_refund
from services.payments.handlers import books, settlement
from services.payments.models import Invoice, Refund, RefundPart
from services.payments.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.payments import RefundRequested

TO_SEND, SENT, MANUAL = "to_send", "sent", "manual"


def decide_refund(uow, clock: ClinicClock, conf: Settings, event) -> None:
    """Surgery was cancelled: refund the policy's share of what was paid; the rest is kept."""
    today, now = clock.today(), clock.now()
    with uow:
        book = books.book(uow.session, event.journey_id)
        if book is None or book.invoice.cancelled_at is not None:
            return
        invoice, ledger = book.invoice, book.ledger()
        reason = event.payload["reason_code"]
        surgery_date = event.payload.get("surgery_date") or invoice.surgery_date
        decision = refund_policy.decide_refund(conf.refund_policy, reason,
                                               net_paid_cents=ledger.net_paid_cents,
                                               surgery_date=surgery_date, today=today)
        invoice.cancelled_at, invoice.cancel_reason = now, reason[:60]
        invoice.owed_cents = max(0, min(invoice.total_cents, ledger.net_paid_cents - decision.refund_cents))
        if decision.refund_cents > 0:
            refund_id = str(uuid.uuid4())
            _plan(uow, invoice, refund_id, reason, decision, list(ledger.charges), now)
            uow.emit(RefundRequested, {"invoice_id": invoice.id, "refund_id": refund_id,
                                       "refund_cents": decision.refund_cents, "reason_code": reason},
                     invoice.journey_id)
        settlement.settle(uow, book, now)


def _plan(uow, invoice: Invoice, refund_id: str, reason: str, decision, charges, now) -> None:
    uow.session.add(Refund(id=refund_id, invoice_id=invoice.id, reason_code=reason[:60],
                           percent=decision.percent, amount_cents=decision.refund_cents,
                           explanation=decision.explanation[:200], created_at=now))
    for n, (reference, cents) in enumerate(allocate_refund(decision.refund_cents, charges)):
        uow.session.add(RefundPart(refund_id=refund_id, payment_reference=reference, amount_cents=cents,
                                   idempotency_key=f"refund:{refund_id}:{n}",
                                   status=TO_SEND if reference else MANUAL))
    invoice.refunds_requested_cents += decision.refund_cents


def send_refund(uow, provider, event) -> None:
    """Send a decided refund's parts; `refund_issued` follows when the provider confirms."""
    with uow:
        parts = uow.session.scalars(select(RefundPart).where(
            RefundPart.refund_id == event.payload["refund_id"], RefundPart.status == TO_SEND)
            .order_by(RefundPart.id)).all()
        for part in parts:
            part.provider_ref = provider.refund(
                idempotency_key=part.idempotency_key, payment_ref=part.payment_reference,
                amount_cents=part.amount_cents,
                metadata={"invoice_id": event.payload["invoice_id"], "journey_id": event.journey_id,
                          "refund_id": part.refund_id})
            part.status = SENT
