"""The payments service: invoices, the deposit, provider webhooks, refunds (JOURNEY.md, stage 2)."""
from services.payments import models
from services.payments.adapters.event_processor import EventProcessor
from services.payments.adapters.provider import Provider
from services.payments.adapters.refund_sender import RefundSender
from services.payments.handlers import (
    attention,
    checkout,
    erasure,
    finance,
    invoices,
    provider_events,
    refunds,
)
from services.payments.settings import parse
from shared import consent
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api.payments import (
    AttentionList,
    BankTransferForm,
    BankTransferReceipt,
    CheckoutForm,
    CheckoutStarted,
    CheckoutStatus,
    InvoiceView,
    OutstandingDepositView,
    PaymentOverview,
    ProviderEventHandled,
    ProviderEventHandledForm,
    RefundRetried,
)
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class PaymentsService(HealthEndpoints):
    name = "payments"

    uow = Database(models.kernel)
    settings = Settings(parse)
    clock = Clock()
    context = CallContext()
    provider = Provider()
    processor = EventProcessor()
    refund_sender = RefundSender()

    @handles("gateway", "payment_webhook_received")
    def on_payment_webhook(self, event):
        """Store a webhook the gateway verified and handed over (once: the inbox, by the provider's
        event id); the background processor applies it next."""
        if provider_events.store_provider_event(self.uow, self.clock, event.payload["event"])["stored"]:
            self.processor.wake()

    @rpc(expected_exceptions=EXPECTED)
    def get_invoice(self, journey_id):
        """The journey's invoice with its payments, requests, refunds, disputes and events."""
        return dump(InvoiceView, finance.invoice_view(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def outstanding_deposits(self):
        """Open invoices whose deposit has not arrived, the most urgent first."""
        return dump(OutstandingDepositView, finance.outstanding_deposits(self.uow, self.clock), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def needing_attention(self):
        """What finance must act on: disputes, overdue balances, unmatched provider events, refunds."""
        return dump(AttentionList, attention.attention_list(self.uow, self.clock, self.settings))

    @rpc(expected_exceptions=EXPECTED)
    def mark_provider_event_handled(self, provider_event_id, form):
        """Finance dealt with a provider event that matched no invoice: it leaves the attention list."""
        note = load(ProviderEventHandledForm, form)["note"]
        return dump(ProviderEventHandled,
                    provider_events.mark_handled(self.uow, self.clock, provider_event_id, note))

    @rpc(expected_exceptions=EXPECTED)
    def retry_refund(self, refund_id):
        """Finance retries a refund the provider would not take: its failed parts are sent again."""
        retried = refunds.retry_refund(self.uow, self.clock, refund_id)
        self.refund_sender.wake()
        return dump(RefundRetried, retried)

    @rpc(expected_exceptions=EXPECTED)
    def record_bank_transfer(self, journey_id, transfer):
        """Finance recorded a bank transfer (deduplicated by its reference)."""
        data = load(BankTransferForm, transfer)
        return dump(BankTransferReceipt, finance.record_bank_transfer(self.uow, self.clock, journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def payment_overview(self, journey_id):
        """The patient's deposit and balance: amounts, due dates, what is left and whether payable now."""
        return dump(PaymentOverview, checkout.payment_overview(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def start_checkout(self, journey_id, form):
        """The patient pays a part: a hosted checkout session at the provider (the open one, reused)."""
        data = load(CheckoutForm, form)
        return dump(CheckoutStarted, checkout.start_checkout(self.uow, self.clock, self.provider,
                                                             journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def checkout_status(self, journey_id, checkout_session_id):
        """Whether a checkout's payment has been received (its webhook applied)."""
        return dump(CheckoutStatus, checkout.checkout_status(self.uow, journey_id, checkout_session_id))

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        if invoices.open_invoice(self.uow, self.clock, self.settings, event):
            self.processor.wake()  # provider events that came before the invoice are counted now

    @handles("payments", "invoice_issued")
    def on_invoice_issued(self, event):
        invoices.request_payment(self.uow, self.clock, self.provider, event)

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        invoices.set_surgery_date(self.uow, self.clock, self.settings, event)

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        invoices.set_surgery_date(self.uow, self.clock, self.settings, event)

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        refunds.decide_refund(self.uow, self.clock, self.settings, event)

    @handles("payments", "refund_requested")
    def on_refund_requested(self, event):
        self.refund_sender.wake()  # its parts were recorded with the decision; the sender sends them

    @handles("enquiries", "consent_withdrawn")
    def on_consent_withdrawn(self, event):
        """The patient withdrew their consent: no more payment deadlines fall due (no deposit or balance
        overdue); the invoice itself closes when surgery announces the cancellation it causes."""
        consent.stop_deadlines(self.uow, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        erasure.confirm_nothing_to_erase(self.uow, event)
