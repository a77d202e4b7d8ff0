"""marshmallow at the edge: RPC input loaded here, everything returned dumped to JSON primitives."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.errors import Invalid


class BankTransferIn(Schema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=100))
    amount_cents = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    received_on = fields.Date(required=True)


def load(schema: type[Schema], data) -> dict:
    try:
        return schema().load(data, unknown=RAISE)
    except ValidationError as exc:
        raise Invalid("invalid input", fields=exc.messages) from None


class InvoiceSchema(Schema):
    id = fields.String()
    journey_id = fields.String()
    package = fields.String()
    currency = fields.String()
    total_cents = fields.Integer()
    deposit_cents = fields.Integer()
    owed_cents = fields.Integer()
    paid_cents = fields.Integer()
    refunded_cents = fields.Integer()
    refund_due_cents = fields.Integer()
    disputed_cents = fields.Integer()
    deposit_due = fields.Date()
    balance_due = fields.Date(allow_none=True)
    surgery_date = fields.Date(allow_none=True)
    issued_at = fields.DateTime()
    deposit_paid_at = fields.DateTime(allow_none=True)
    paid_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    last_failure_code = fields.String(allow_none=True)


class PaymentSchema(Schema):
    source = fields.String()
    reference = fields.String()
    status = fields.String()
    amount_cents = fields.Integer()
    refunded_cents = fields.Integer()
    failure_code = fields.String(allow_none=True)
    received_on = fields.Date(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    created_at = fields.DateTime()


class RequestSchema(Schema):
    kind = fields.String()
    amount_cents = fields.Integer()
    provider_ref = fields.String()
    created_at = fields.DateTime()


class RefundPartSchema(Schema):
    payment_reference = fields.String(allow_none=True)
    amount_cents = fields.Integer()
    status = fields.String()
    provider_ref = fields.String(allow_none=True)


class RefundSchema(Schema):
    id = fields.String(attribute="refund.id")
    reason_code = fields.String(attribute="refund.reason_code")
    percent = fields.Integer(attribute="refund.percent")
    amount_cents = fields.Integer(attribute="refund.amount_cents")
    explanation = fields.String(attribute="refund.explanation")
    created_at = fields.DateTime(attribute="refund.created_at")
    parts = fields.List(fields.Nested(RefundPartSchema))


class DisputeSchema(Schema):
    id = fields.String()
    payment_reference = fields.String(allow_none=True)
    amount_cents = fields.Integer()
    reason = fields.String()
    created_at = fields.DateTime()


class ProviderEventSchema(Schema):
    id = fields.String()
    type = fields.String()
    received_at = fields.DateTime()
    processed_at = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)


class OwnEventSchema(Schema):
    event_id = fields.String()
    type = fields.String(attribute="event_type")
    at = fields.DateTime(attribute="created_at")


class InvoiceViewSchema(Schema):
    invoice = fields.Nested(InvoiceSchema)
    status = fields.String()
    balance_cents = fields.Integer()
    overpaid_cents = fields.Integer()
    payments = fields.List(fields.Nested(PaymentSchema))
    requests = fields.List(fields.Nested(RequestSchema))
    refunds = fields.List(fields.Nested(RefundSchema))
    disputes = fields.List(fields.Nested(DisputeSchema))
    provider_events = fields.List(fields.Nested(ProviderEventSchema))
    events = fields.List(fields.Nested(OwnEventSchema))


class OutstandingDepositSchema(Schema):
    invoice_id = fields.String()
    journey_id = fields.String()
    deposit_cents = fields.Integer()
    paid_cents = fields.Integer()
    deposit_due = fields.Date()
    overdue = fields.Boolean()
    last_failure_code = fields.String(allow_none=True)


class AttentionSchema(Schema):
    invoice_id = fields.String()
    journey_id = fields.String()
    refund_due_cents = fields.Integer()
    disputed_cents = fields.Integer()
    cancelled = fields.Boolean()


class BankTransferOut(Schema):
    invoice_id = fields.String()
    payment = fields.Nested(PaymentSchema)
    duplicate = fields.Boolean()
    balance_cents = fields.Integer()
