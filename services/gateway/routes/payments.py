"""Payment provider webhooks (signed, Stripe's model) and finance staff's payment pages."""
import json

import stripe
from marshmallow import Schema, fields, validate

from services.gateway.errors import MalformedRequest
from services.gateway.roles import ADMIN, FINANCE, PUBLIC
from services.gateway.routing import route

FINANCE_STAFF = {FINANCE, ADMIN}


def webhook_secrets(config: dict) -> list[str]:
    """Configured endpoint secrets, comma-separated: two are accepted during a rotation."""
    raw = (config.get("PAYMENTS") or {}).get("webhook_secrets") or ""
    return [secret.strip() for secret in str(raw).split(",") if secret.strip()]


def verify(payload: bytes, header: str | None, secrets: list[str], tolerance: int) -> dict:
    """The event, if the body is signed with one of the secrets within the tolerance; else 400."""
    if not header:
        raise MalformedRequest("missing Stripe-Signature header")
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(payload, header, secret, tolerance)
            break
        except stripe.SignatureVerificationError:
            continue
        except UnicodeDecodeError:
            raise MalformedRequest("the body is not UTF-8") from None
    else:
        raise MalformedRequest("the webhook signature is missing, wrong or too old")
    try:
        event = json.loads(payload)
    except ValueError:
        raise MalformedRequest("the body is not valid JSON") from None
    if not isinstance(event, dict):
        raise MalformedRequest("the event must be a JSON object")
    return event


class WebhookAck(Schema):
    stored = fields.Boolean()
    duplicate = fields.Boolean()
    ignored = fields.Boolean()


@route("POST", "/webhooks/payments", roles=PUBLIC, summary="Receive a signed payment provider event",
       tag="payments", raw_body=True, max_body=256 * 1024, patient_param=None, response=WebhookAck,
       responses={400: "signature missing, wrong or older than the tolerance; nothing stored"})
def payment_webhook(ctx):
    conf = ctx.config.get("PAYMENTS") or {}
    event = verify(ctx.body, ctx.request.headers.get("Stripe-Signature"), webhook_secrets(ctx.config),
                   int(conf.get("webhook_tolerance_seconds", 300)))
    return ctx.rpc("payments").store_provider_event(event)


class PaymentOut(Schema):
    source = fields.String()
    reference = fields.String()
    status = fields.String()
    amount_cents = fields.Integer()
    refunded_cents = fields.Integer()
    failure_code = fields.String(allow_none=True)
    received_on = fields.String(allow_none=True)  # ISO dates, as the payments service sent them
    recorded_by = fields.String(allow_none=True)
    created_at = fields.String()


class InvoiceOut(Schema):
    """The invoice view as the payments service dumps it (JSON primitives)."""
    invoice = fields.Dict()
    status = fields.String()
    balance_cents = fields.Integer()
    overpaid_cents = fields.Integer()
    payments = fields.List(fields.Nested(PaymentOut))
    requests = fields.List(fields.Dict())
    refunds = fields.List(fields.Dict())
    disputes = fields.List(fields.Dict())
    provider_events = fields.List(fields.Dict())
    events = fields.List(fields.Dict())


@route("GET", "/journeys/<uuid:journey_id>/invoice", roles=FINANCE_STAFF, tag="payments",
       summary="An invoice with its payments, refunds, disputes and events", response=InvoiceOut)
def journey_invoice(ctx, journey_id):
    return ctx.rpc("payments").get_invoice(str(journey_id))


class OutstandingDeposit(Schema):
    invoice_id = fields.String()
    journey_id = fields.String()
    deposit_cents = fields.Integer()
    paid_cents = fields.Integer()
    deposit_due = fields.String()
    overdue = fields.Boolean()
    last_failure_code = fields.String(allow_none=True)


@route("GET", "/payments/outstanding-deposits", roles=FINANCE_STAFF, tag="payments",
       summary="Invoices whose deposit has not arrived", response=OutstandingDeposit, many=True)
def outstanding_deposits(ctx):
    rows = ctx.rpc("payments").outstanding_deposits()
    for row in rows:
        ctx.log_access(row["journey_id"])
    return rows


class Attention(Schema):
    invoice_id = fields.String()
    journey_id = fields.String()
    refund_due_cents = fields.Integer()
    disputed_cents = fields.Integer()
    cancelled = fields.Boolean()


@route("GET", "/payments/attention", roles=FINANCE_STAFF, tag="payments", response=Attention, many=True,
       summary="Invoices needing finance: overpayments to refund, disputes, manual refunds")
def needing_attention(ctx):
    rows = ctx.rpc("payments").needing_attention()
    for row in rows:
        ctx.log_access(row["journey_id"])
    return rows


class BankTransferIn(Schema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=100))
    amount_cents = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    received_on = fields.Date(required=True)


class BankTransferOut(Schema):
    invoice_id = fields.String()
    payment = fields.Nested(PaymentOut)
    duplicate = fields.Boolean()
    balance_cents = fields.Integer()


@route("POST", "/journeys/<uuid:journey_id>/bank-transfers", roles=FINANCE, tag="payments",
       summary="Record a bank transfer (the same reference twice is one payment)", body=BankTransferIn,
       response=BankTransferOut, status=201)
def record_bank_transfer(ctx, journey_id):
    body = dict(ctx.body, received_on=ctx.body["received_on"].isoformat())
    result = ctx.rpc("payments").record_bank_transfer(str(journey_id), body)
    return (200, result) if result["duplicate"] else (201, result)
