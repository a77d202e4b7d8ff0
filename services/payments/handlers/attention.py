"""Finance's attention list: one list of what finance must act on, each item with its kind,
journey, amount and deadline, the soonest deadline first.

Kinds: `disputed` (a payment the bank disputes: evidence due by its deadline),
`balance_overdue` (the balance unpaid past its due date, judged today on the clinic's
calendar), `unmatched_provider_event` (a provider event no invoice claimed for longer
than PAYMENTS.unmatched_after_minutes, and why), `failed_refund` (a refund the provider
would not take after every try), `manual_refund` (a refund to pay by hand, e.g. of a bank
transfer), `overpaid` (money to refund). Ids, amounts and codes only.
"""
import json
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from services.payments.domain import balance, disputes, provider_events
from services.payments.handlers import refunds
from services.payments.handlers.provider_events import UNMATCHED
from services.payments.models import Dispute, Invoice, ProviderEvent, Refund, RefundPart
from services.payments.settings import Settings
from shared.clock import ClinicClock, aware

LATEST = datetime.max.replace(tzinfo=UTC)


def attention_list(uow, clock: ClinicClock, conf: Settings) -> dict:
    """Everything finance must act on now, the soonest deadline first (then the oldest)."""
    with uow:
        s = uow.session
        items = (_disputed(s) + _balances_overdue(s, clock) + _unmatched(s, clock, conf)
                 + _failed_refunds(s) + _manual_refunds(s) + _overpaid(s))
    return {"items": sorted(items, key=lambda i: (i["deadline"] or LATEST, i["since"] or LATEST))}


def _item(kind: str, *, journey_id=None, invoice_id=None, reference=None, amount_cents=None,
          deadline=None, since=None, reason=None, provider_event_type=None) -> dict:
    return {"kind": kind, "journey_id": journey_id, "invoice_id": invoice_id, "reference": reference,
            "amount_cents": amount_cents, "deadline": aware(deadline), "since": aware(since),
            "reason": reason, "provider_event_type": provider_event_type}


def _disputed(s) -> list[dict]:
    rows = s.execute(select(Dispute, Invoice.journey_id).join(Invoice, Invoice.id == Dispute.invoice_id)
                     .where(Dispute.status == disputes.OPEN)).all()
    return [_item("disputed", journey_id=journey, invoice_id=d.invoice_id, reference=d.id,
                  amount_cents=d.amount_cents, deadline=d.evidence_due_by, since=d.created_at,
                  reason=f"The bank disputes the payment ({d.reason}); send evidence before the deadline.")
            for d, journey in rows]


def _balances_overdue(s, clock: ClinicClock) -> list[dict]:
    today = clock.today()
    rows = s.scalars(select(Invoice).where(Invoice.balance_due < today, Invoice.cancelled_at.is_(None)))
    found = []
    for i in rows:
        owed = i.owed_cents - i.paid_cents + i.refunded_cents + i.dispute_lost_cents
        if balance.is_overdue(i.balance_due, owed, today):
            late = clock.at(balance.overdue_from(i.balance_due), time(0))  # the due day ended at the clinic
            found.append(_item("balance_overdue", journey_id=i.journey_id, invoice_id=i.id, amount_cents=owed,
                               deadline=late, since=late,
                               reason=f"The balance was due on {i.balance_due.isoformat()}, before the "
                                      f"surgery on {i.surgery_date}."))
    return found


def _unmatched(s, clock: ClinicClock, conf: Settings) -> list[dict]:
    rows = s.scalars(select(ProviderEvent).where(
        ProviderEvent.outcome == UNMATCHED, ProviderEvent.processed_at.is_not(None),
        ProviderEvent.handled_at.is_(None),
        ProviderEvent.received_at <= clock.now() - timedelta(minutes=conf.unmatched_after_minutes)))
    found = []
    for row in rows:
        data = json.loads(row.data)
        why = provider_events.why_unmatched(journey_id=row.journey_id, invoice_id=row.invoice_id,
                                            payment_ref=data.get("payment_ref"))
        found.append(_item("unmatched_provider_event", journey_id=row.journey_id, invoice_id=row.invoice_id,
                           reference=row.id, amount_cents=data.get("amount_cents"), since=row.received_at,
                           reason=why, provider_event_type=row.type))
    return found


def _failed_refunds(s) -> list[dict]:
    return [_item("failed_refund", journey_id=p["journey_id"], invoice_id=p["invoice_id"],
                  reference=p["refund_id"], amount_cents=p["amount_cents"], since=p["failed_at"],
                  reason=f"The provider refused it {p['attempts']} times; its last answer: {p['reason']}.")
            for p in refunds.failed_parts(s)]


def _manual_refunds(s) -> list[dict]:
    rows = s.execute(select(RefundPart, Refund, Invoice.journey_id)
                     .join(Refund, Refund.id == RefundPart.refund_id)
                     .join(Invoice, Invoice.id == Refund.invoice_id)
                     .where(RefundPart.status == refunds.MANUAL)).all()
    return [_item("manual_refund", journey_id=journey, invoice_id=refund.invoice_id, reference=refund.id,
                  amount_cents=part.amount_cents, since=refund.created_at,
                  reason="This part was not paid through the provider: refund it by hand.")
            for part, refund, journey in rows]


def _overpaid(s) -> list[dict]:
    rows = s.scalars(select(Invoice).where(Invoice.refund_due_cents > 0))
    return [_item("overpaid", journey_id=i.journey_id, invoice_id=i.id, amount_cents=i.refund_due_cents,
                  since=i.paid_at, reason="More arrived than is owed: refund the difference.")
            for i in rows]
