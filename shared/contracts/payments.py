"""Events produced by the payments service. Amounts are integer cents (EUR)."""
from marshmallow import Schema, fields, validate

from shared.events import contract


@contract("invoice_issued", 1)
class InvoiceIssued(Schema):
    invoice_id = fields.String(required=True)
    currency = fields.String(required=True)
    total_cents = fields.Integer(required=True, strict=True)
    deposit_cents = fields.Integer(required=True, strict=True)
    balance_cents = fields.Integer(required=True, strict=True)
    deposit_due = fields.Date(required=True)
    balance_due = fields.Date(allow_none=True, load_default=None)


@contract("deposit_paid", 1)
class DepositPaid(Schema):
    invoice_id = fields.String(required=True)
    paid_cents = fields.Integer(required=True, strict=True)


@contract("invoice_paid", 1)
class InvoicePaid(Schema):
    invoice_id = fields.String(required=True)
    paid_cents = fields.Integer(required=True, strict=True)


@contract("payment_failed", 1)
class PaymentFailed(Schema):
    invoice_id = fields.String(required=True)
    reason_code = fields.String(required=True)


@contract("refund_issued", 1)
class RefundIssued(Schema):
    invoice_id = fields.String(required=True)
    refund_cents = fields.Integer(required=True, strict=True)


@contract("refund_requested", 1)
class RefundRequested(Schema):
    """A refund was decided (cancellation policy); it is sent to the provider next."""
    invoice_id = fields.String(required=True)
    refund_id = fields.String(required=True)
    refund_cents = fields.Integer(required=True, strict=True)
    reason_code = fields.String(required=True)



DISPUTE_OUTCOMES = ("won", "lost")


@contract("payment_disputed", 1)
class PaymentDisputed(Schema):
    """The patient's bank disputes a payment: its money is on hold until the dispute closes."""
    invoice_id = fields.String(required=True)
    dispute_id = fields.String(required=True)
    amount_cents = fields.Integer(required=True, strict=True)
    evidence_due_by = fields.AwareDateTime(required=True)


@contract("payment_dispute_closed", 1)
class PaymentDisputeClosed(Schema):
    """A dispute was decided: won keeps the money, lost takes it from the ledger."""
    invoice_id = fields.String(required=True)
    dispute_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(DISPUTE_OUTCOMES))
    amount_cents = fields.Integer(required=True, strict=True)


@contract("balance_due_dated", 1)
class BalanceDueDated(Schema):
    """Surgery (re)scheduling dated the balance: what is still owed falls due on `balance_due`."""
    invoice_id = fields.String(required=True)
    balance_cents = fields.Integer(required=True, strict=True)
    balance_due = fields.Date(required=True)


# Deadlines as facts (durable timers, emitted by the payments service's timer relay when due).

@contract("deposit_overdue", 1)
class DepositOverdue(Schema):
    """The deposit was not paid by its due date (scheduled when the invoice is issued)."""
    invoice_id = fields.String(required=True)
    deposit_cents = fields.Integer(required=True, strict=True)
    deposit_due = fields.Date(required=True)


@contract("balance_overdue", 1)
class BalanceOverdue(Schema):
    """The balance was not paid by its due date (moved each time surgery moves the date)."""
    invoice_id = fields.String(required=True)
    balance_cents = fields.Integer(required=True, strict=True)
    balance_due = fields.Date(required=True)
