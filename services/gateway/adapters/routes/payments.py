"""Payment provider webhooks (signed, Stripe's model) and finance staff's payment pages."""
from services.gateway.adapters.routing import route
from services.gateway.adapters.webhooks import verified_event
from services.gateway.domain.roles import ADMIN, FINANCE, PUBLIC
from shared.contracts.api.payments import (
    AttentionList,
    BankTransferForm,
    BankTransferReceipt,
    InvoiceView,
    OutstandingDepositView,
    PaymentWebhookAck,
    RefundRetried,
)

FINANCE_STAFF = {FINANCE, ADMIN}


@route("POST", "/webhooks/payments", roles=PUBLIC, summary="Receive a signed payment provider event",
       tag="payments", raw_body=True, max_body=256 * 1024, patient_param=None, response=PaymentWebhookAck,
       responses={400: "signature missing, wrong or older than the tolerance; nothing stored"})
def payment_webhook(ctx):
    event = verified_event(ctx, "Stripe-Signature", "PAYMENTS")
    return ctx.rpc("payments").store_provider_event(event)


@route("GET", "/journeys/<uuid:journey_id>/invoice", roles=FINANCE_STAFF, tag="payments",
       summary="An invoice with its payments, refunds, disputes and events", response=InvoiceView)
def journey_invoice(ctx, journey_id):
    return ctx.rpc("payments").get_invoice(str(journey_id))


@route("GET", "/payments/outstanding-deposits", roles=FINANCE_STAFF, tag="payments",
       summary="Invoices whose deposit has not arrived", response=OutstandingDepositView, many=True)
def outstanding_deposits(ctx):
    rows = ctx.rpc("payments").outstanding_deposits()
    for row in rows:
        ctx.log_access(row["journey_id"])
    return rows


@route("GET", "/payments/attention", roles=FINANCE_STAFF, tag="payments", response=AttentionList,
       summary="What finance must act on: overpayments to refund, disputes, manual refunds, refunds the "
               "provider would not take, provider events that match no invoice")
def needing_attention(ctx):
    attention = ctx.rpc("payments").needing_attention()
    for journey in {row["journey_id"] for row in attention["invoices"] + attention["failed_refunds"]}:
        ctx.log_access(journey)
    return attention


@route("POST", "/payments/refunds/<uuid:refund_id>/retry", roles=FINANCE, tag="payments",
       patient_param=None, response=RefundRetried, summary="Send a failed refund to the provider again",
       responses={404: "no such refund", 409: "the refund has no failed part to retry"})
def retry_refund(ctx, refund_id):
    return ctx.rpc("payments").retry_refund(str(refund_id))


@route("POST", "/journeys/<uuid:journey_id>/bank-transfers", roles=FINANCE, tag="payments",
       summary="Record a bank transfer (the same reference twice is one payment)", body=BankTransferForm,
       response=BankTransferReceipt, status=201)
def record_bank_transfer(ctx, journey_id):
    result = ctx.rpc("payments").record_bank_transfer(str(journey_id), BankTransferForm().dump(ctx.body))
    return (200, result) if result["duplicate"] else (201, result)
