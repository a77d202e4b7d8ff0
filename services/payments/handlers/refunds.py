"""Refunds on cancellation: decided by policy, then sent to the provider with idempotency keys.

A part due to be sent is claimed (leased) in one short transaction, sent by the
refund sender (adapters/refund_sender.py) with no transaction open, and the
provider's answer recorded in another. A failing call is retried with backoff;
after the last attempt the part is `failed` and on finance's attention list,
until finance retries it: a refund is never dropped. The idempotency key stays
the same across every try, so the provider refunds once however often it is asked.
"""
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select

from services.payments.domain import disputes, refund_policy
from services.payments.domain.ledger import allocate_refund
from services.payments.domain.retries import RetryPolicy
from services.payments.handlers import books, deadlines, settlement
from services.payments.models import Invoice, Refund, RefundPart
from services.payments.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.payments import RefundRequested
from shared.errors import Conflict, NotFound

TO_SEND, SENT, MANUAL, FAILED = "to_send", "sent", "manual", "failed"
LEASE = timedelta(seconds=60)   # a claimed part is not sent again by another worker before this


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
        deadlines.cancelled(uow, invoice)
        invoice.owed_cents = max(0, min(invoice.total_cents, ledger.net_paid_cents - decision.refund_cents))
        if decision.refund_cents > 0:
            refund_id = str(uuid.uuid4())
            disputed = disputes.not_refundable(tuple(books.to_dispute(row) for row in book.disputes))
            charges = [charge for charge in ledger.charges if charge.reference not in disputed]
            _plan(uow, invoice, refund_id, reason, decision, charges, now)
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
                                   status=TO_SEND if reference else MANUAL, attempts=0, next_attempt_at=now))
    invoice.refunds_requested_cents += decision.refund_cents


@dataclass(frozen=True)
class Claimed:
    """A refund part leased for one call to the provider."""
    id: int
    refund_id: str
    key: str
    payment_ref: str
    amount_cents: int
    invoice_id: str
    journey_id: str

    @property
    def metadata(self) -> dict:
        return {"invoice_id": self.invoice_id, "journey_id": self.journey_id, "refund_id": self.refund_id}


def claim_due(uow, clock: ClinicClock, limit: int = 20) -> list[Claimed]:
    """Lease the parts that are due to be sent (first tries and retries whose wait is over)."""
    with uow:
        now = clock.now()
        query = (_with_invoice(select(RefundPart, Refund.invoice_id, Invoice.journey_id))
                 .where(RefundPart.status == TO_SEND,
                        or_(RefundPart.next_attempt_at.is_(None), RefundPart.next_attempt_at <= now))
                 .order_by(RefundPart.id).limit(limit))
        if uow.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(of=RefundPart, skip_locked=True)
        claimed = []
        for part, invoice_id, journey_id in uow.session.execute(query).all():
            part.next_attempt_at = now + LEASE
            claimed.append(Claimed(part.id, part.refund_id, part.idempotency_key, part.payment_reference,
                                   part.amount_cents, invoice_id, journey_id))
    return claimed


def record_answer(uow, clock: ClinicClock, policy: RetryPolicy, item: Claimed, *,
                  provider_ref: str | None = None, error: str | None = None) -> str:
    """The provider's answer to a claimed part: sent, to be tried again later, or failed."""
    with uow:
        part = uow.session.get(RefundPart, item.id, with_for_update=True)
        if part.status != TO_SEND:
            return part.status   # answered already (a lease that ran out while the call hung)
        now = clock.now()
        part.attempts += 1
        if provider_ref is not None:
            part.status, part.provider_ref, part.next_attempt_at = SENT, provider_ref, None
            return SENT
        part.last_error = (error or "unknown")[:120]
        if policy.exhausted(part.attempts):
            part.status, part.failed_at, part.next_attempt_at = FAILED, now, None
        else:
            part.next_attempt_at = now + timedelta(seconds=policy.delay(part.attempts))
        return part.status


def retry_refund(uow, clock: ClinicClock, refund_id: str) -> dict:
    """Finance asks for a failed refund to be sent again: its failed parts get a fresh set of tries."""
    with uow:
        refund = uow.session.get(Refund, refund_id)
        if refund is None:
            raise NotFound("no such refund", refund_id=refund_id)
        failed = uow.session.scalars(select(RefundPart).where(
            RefundPart.refund_id == refund_id, RefundPart.status == FAILED).with_for_update()).all()
        if not failed:
            raise Conflict("the refund has no failed part to retry", refund_id=refund_id)
        now = clock.now()
        for part in failed:
            part.status, part.attempts, part.next_attempt_at, part.failed_at = TO_SEND, 0, now, None
        return {"refund_id": refund_id, "parts_to_send": len(failed), "retried_at": now}


def failed_parts(session) -> list[dict]:
    """Refunds the provider would not take after every try: what finance must look at."""
    rows = session.execute(
        _with_invoice(select(RefundPart, Refund.invoice_id, Invoice.journey_id))
        .where(RefundPart.status == FAILED).order_by(RefundPart.failed_at, RefundPart.id)).all()
    return [{"refund_id": part.refund_id, "invoice_id": invoice_id, "journey_id": journey_id,
             "payment_reference": part.payment_reference, "amount_cents": part.amount_cents,
             "status": part.status, "attempts": part.attempts, "reason": part.last_error,
             "failed_at": part.failed_at} for part, invoice_id, journey_id in rows]



def _with_invoice(query):
    return (query.join(Refund, Refund.id == RefundPart.refund_id)
            .join(Invoice, Invoice.id == Refund.invoice_id))
