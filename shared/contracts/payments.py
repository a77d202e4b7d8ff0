"""Events produced by the payments service. Amounts are integer cents (EUR)."""
from marshmallow import Schema, fields

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

