"""The payments service: invoices, the deposit, provider webhooks, refunds (JOURNEY.md, stage 2)."""
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from nameko.dependency_providers import Config

from services.payments import finance, handlers, models, refunds, schemas
from services.payments.background import EventProcessor
from services.payments.provider import Provider
from services.payments.settings import settings
from shared import clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints

CLINIC_TZ = ZoneInfo("Europe/Amsterdam")  # due dates are the clinic's dates


def _now() -> datetime:
    return datetime.now(UTC)


class PaymentsService(HealthEndpoints):
    name = "payments"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    provider = Provider()
    processor = EventProcessor()

    @rpc(expected_exceptions=EXPECTED)
    def store_provider_event(self, event):
        """Store a webhook the gateway verified; the background processor applies it next."""
        result = handlers.store_provider_event(self.uow, event, _now())
        if result["stored"]:
            self.processor.wake()
        return result

    @rpc(expected_exceptions=EXPECTED)
    def get_invoice(self, journey_id):
        return schemas.InvoiceViewSchema().dump(finance.invoice_view(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def outstanding_deposits(self):
        rows = finance.outstanding_deposits(self.uow, clock.today(CLINIC_TZ))
        return schemas.OutstandingDepositSchema(many=True).dump(rows)

    @rpc(expected_exceptions=EXPECTED)
    def needing_attention(self):
        return schemas.AttentionSchema(many=True).dump(finance.needing_attention(self.uow))

    @rpc(expected_exceptions=EXPECTED)
    def record_bank_transfer(self, journey_id, transfer):
        """Finance recorded a bank transfer (deduplicated by its reference)."""
        data = schemas.load(schemas.BankTransferIn, transfer)
        result = finance.record_bank_transfer(self.uow, journey_id, data, _now())
        return schemas.BankTransferOut().dump(result)

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        handlers.open_invoice(self.uow, event, settings(self.config), clock.today(CLINIC_TZ), _now(),
                              str(uuid.uuid4()))

    @handles("payments", "invoice_issued")
    def on_invoice_issued(self, event):
        handlers.request_payment(self.uow, self.provider, event, _now())

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        handlers.set_surgery_date(self.uow, event, settings(self.config))

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        handlers.set_surgery_date(self.uow, event, settings(self.config))

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        refunds.decide_refund(self.uow, event, settings(self.config), clock.today(CLINIC_TZ), _now())

    @handles("payments", "refund_requested")
    def on_refund_requested(self, event):
        refunds.send_refund(self.uow, self.provider, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        handlers.confirm_erasure(self.uow, event)
