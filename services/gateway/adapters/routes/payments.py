"""Payment provider webhooks (signed, Stripe's model) and finance staff's payment pages."""
from services.gateway.adapters.routing import route
from services.gateway.adapters.webhooks import hand_over, verified_event
from services.gateway.domain.roles import ADMIN, FINANCE, PUBLIC
from shared.contracts.api.payments import (
    AttentionList,
    BankTransferForm,
    BankTransferReceipt,
    InvoiceView,
    OutstandingDepositView,
    ProviderEventHandled,
    ProviderEventHandledForm,
    RefundRetried,
)
from shared.contracts.api.webhooks import PaymentWebhookReceived, WebhookReceipt
from shared.i18n import N_

FINANCE_STAFF = {FINANCE, ADMIN}


@route("POST", "/webhooks/payments", roles=PUBLIC, tag="payments", raw_body=True, max_body=256 * 1024,
       summary="Receive a signed payment provider event: 200 once it is held durably for payments (even "
               "while payments is down), which applies it to the ledger shortly after, once per event id",
       patient_param=None, response=WebhookReceipt,
       responses={400: "signature missing, wrong or older than the tolerance; nothing stored",
                  503: "the event could not be stored just now (Retry-After); nothing kept, send it again"})
def payment_webhook(ctx):
    return hand_over(ctx, PaymentWebhookReceived, verified_event(ctx, "Stripe-Signature", "PAYMENTS"))


@route("GET", "/journeys/<uuid:journey_id>/invoice", roles=FINANCE_STAFF, tag="payments",
       summary="An invoice with its payments, refunds, disputes and events", response=InvoiceView,
       action=N_("read an invoice and its payments"))
def journey_invoice(ctx, journey_id):
    return ctx.rpc("payments").get_invoice(str(journey_id))


@route("GET", "/payments/outstanding-deposits", roles=FINANCE_STAFF, tag="payments",
       summary="Invoices whose deposit has not arrived", response=OutstandingDepositView, many=True,
       action=N_("list outstanding deposits"))
def outstanding_deposits(ctx):
    rows = ctx.rpc("payments").outstanding_deposits()
    for row in rows:
        ctx.log_access(row["journey_id"])
    return rows


@route("GET", "/finance/attention", roles=FINANCE_STAFF, tag="payments", response=AttentionList,
       patient_param=None,
       summary="Finance's attention list: disputed payments, overdue balances, provider events that match "
               "no invoice, refunds the provider would not take, manual refunds and overpayments; each with "
               "its kind, journey, amount and deadline, the soonest deadline first",
       action=N_("read finance's attention list"))
def needing_attention(ctx):
    attention = ctx.rpc("payments").needing_attention()
    for journey in sorted({item["journey_id"] for item in attention["items"] if item["journey_id"]}):
        ctx.log_access(journey)
    return attention


@route("POST", "/payments/provider-events/<string:provider_event_id>/handled", roles=FINANCE, tag="payments",
       patient_param=None, body=ProviderEventHandledForm, response=ProviderEventHandled,
       summary="Mark a provider event that matched no invoice as dealt with, with a note (it leaves the "
               "attention list and is never applied to an invoice later)",
       responses={404: "no such provider event", 409: "the event matched an invoice, or is already handled"},
       action=N_("mark a provider event as dealt with"))
def mark_provider_event_handled(ctx, provider_event_id):
    return ctx.rpc("payments").mark_provider_event_handled(provider_event_id,
                                                           ProviderEventHandledForm().dump(ctx.body))


@route("POST", "/payments/refunds/<uuid:refund_id>/retry", roles=FINANCE, tag="payments",
       patient_param=None, response=RefundRetried, summary="Send a failed refund to the provider again",
       responses={404: "no such refund", 409: "the refund has no failed part to retry"},
       action=N_("retry a refund"))
def retry_refund(ctx, refund_id):
    return ctx.rpc("payments").retry_refund(str(refund_id))


@route("POST", "/journeys/<uuid:journey_id>/bank-transfers", roles=FINANCE, tag="payments",
       summary="Record a bank transfer (the same reference twice is one payment)", body=BankTransferForm,
       response=BankTransferReceipt, status=201,
       action=N_("record a bank transfer"))
def record_bank_transfer(ctx, journey_id):
    result = ctx.rpc("payments").record_bank_transfer(str(journey_id), BankTransferForm().dump(ctx.body))
    return (200, result) if result["duplicate"] else (201, result)
