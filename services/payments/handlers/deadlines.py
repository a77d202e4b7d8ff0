"""Payment deadlines as facts: the deposit or the balance not paid by its due date.

A durable timer is armed with each due date, in the transaction that sets it (the invoice issued,
the balance dated by the surgery and moved with it), and cancelled in the one that meets it (the
milestone reached, the invoice cancelled). When a due date passes unmet, this service's timer
relay emits deposit_overdue or balance_overdue (shared/timers.py).
"""
from datetime import date

from services.payments.models import Invoice
from shared.clock import ClinicClock
from shared.contracts.payments import BalanceOverdue, DepositOverdue
from shared.timers import after_day


def _deposit(invoice_id: str) -> str:
    return f"deposit_overdue:{invoice_id}"


def _balance(invoice_id: str) -> str:
    return f"balance_overdue:{invoice_id}"


def arm_deposit(uow, clock: ClinicClock, journey_id: str, invoice_id: str, deposit_cents: int,
                deposit_due: date) -> None:
    uow.schedule(DepositOverdue, {"invoice_id": invoice_id, "deposit_cents": deposit_cents,
                                  "deposit_due": deposit_due},
                 journey_id, at=after_day(clock, deposit_due), key=_deposit(invoice_id))


def date_balance(uow, clock: ClinicClock, invoice: Invoice, balance_cents: int) -> None:
    """The balance was (re)dated: its timer moves with it; nothing owed, nothing to fall due."""
    if balance_cents <= 0 or invoice.paid_at is not None:
        uow.cancel_timer(_balance(invoice.id))
        return
    uow.schedule(BalanceOverdue, {"invoice_id": invoice.id, "balance_cents": balance_cents,
                                  "balance_due": invoice.balance_due},
                 invoice.journey_id, at=after_day(clock, invoice.balance_due), key=_balance(invoice.id))


def settled(uow, invoice: Invoice) -> None:
    """A milestone was reached: the deadlines it meets no longer stand."""
    if invoice.deposit_paid_at is not None:
        uow.cancel_timer(_deposit(invoice.id))
    if invoice.paid_at is not None:
        uow.cancel_timer(_balance(invoice.id))


def cancelled(uow, invoice: Invoice) -> None:
    """The journey's invoice was cancelled: nothing falls due any more."""
    uow.cancel_timer(_deposit(invoice.id))
    uow.cancel_timer(_balance(invoice.id))
