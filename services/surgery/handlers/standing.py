"""The payment facts a surgery rests on: the balance (dated, paid) and disputes on a payment.

Payments owns the money; these use cases only remember what it announced, so the pre-op
check and the planner can see it. Each is safe to run twice (the inbox, and upserts by id).
"""
from sqlalchemy import func, select

from services.surgery.domain.standing import Standing
from services.surgery.handlers import cases
from services.surgery.models import PaymentDispute, SurgeryCase
from shared.clock import ClinicClock
from shared.events import Event
from shared.rows import locked_get_or_create


def record_balance_dated(uow, clock: ClinicClock, event: Event) -> None:
    """payments.balance_due_dated: what is still owed, and by when."""
    with uow:
        case = cases.get_or_start(uow.session, clock, event.journey_id)
        case.balance_due = event.payload["balance_due"]
        if not case.balance_paid:   # delivered after invoice_paid, it is older news
            case.balance_cents = event.payload["balance_cents"]
            case.balance_paid = event.payload["balance_cents"] <= 0
        case.updated_at = clock.now()


def record_invoice_paid(uow, clock: ClinicClock, event: Event) -> None:
    """payments.invoice_paid: the balance is settled (a later dating of it does not undo that)."""
    with uow:
        case = cases.get_or_start(uow.session, clock, event.journey_id)
        case.balance_paid, case.balance_cents = True, 0
        case.updated_at = clock.now()


def record_dispute(uow, clock: ClinicClock, event: Event) -> None:
    """payments.payment_disputed: the surgery now rests on a disputed payment."""
    p = event.payload
    with uow:
        dispute = _dispute(uow.session, clock, event)
        dispute.invoice_id, dispute.amount_cents = p["invoice_id"], p["amount_cents"]
        dispute.evidence_due_by = p["evidence_due_by"]


def record_dispute_closed(uow, clock: ClinicClock, event: Event) -> None:
    """payments.payment_dispute_closed: won or lost, it no longer stands open (either order)."""
    p = event.payload
    with uow:
        dispute = _dispute(uow.session, clock, event)
        dispute.invoice_id, dispute.outcome = p["invoice_id"], p["outcome"]
        dispute.amount_cents = dispute.amount_cents or p["amount_cents"]


def _dispute(session, clock: ClinicClock, event: Event) -> PaymentDispute:
    dispute = locked_get_or_create(session, PaymentDispute, event.payload["dispute_id"],
                                   journey_id=cases.journey(event.journey_id), updated_at=clock.now())
    dispute.updated_at = clock.now()
    return dispute


def standing_of(session, case: SurgeryCase) -> Standing:
    """The case's payment standing as the domain reads it."""
    open_disputes = session.scalar(select(func.count()).select_from(PaymentDispute).where(
        PaymentDispute.journey_id == case.journey_id, PaymentDispute.outcome.is_(None)))
    return Standing(bool(case.balance_paid), case.balance_cents, case.balance_due, open_disputes or 0)
