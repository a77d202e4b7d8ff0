"""The payments API: request forms and response views, used by the service and the gateway alike.

The service dumps its replies with these views; the gateway dumps the reply it got
again with the same view (and documents it in OpenAPI), so a date or instant
already in ISO form passes through unchanged (`IsoDate`, `IsoDateTime`).
Amounts are integer cents.
"""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDate, IsoDateTime

# Requests

class BankTransferForm(Schema):
    """A bank transfer finance saw arrive; its bank reference makes it one payment, however often sent."""
    reference = fields.String(required=True, validate=validate.Length(min=1, max=100))
    amount_cents = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    received_on = fields.Date(required=True)


class ProviderEventHandledForm(Schema):
    """Finance dealt with a provider event that matched no invoice; the note says how (kept, never logged)."""
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


# Responses

class InvoiceRecord(Schema):
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
    deposit_due = IsoDate()
    balance_due = IsoDate(allow_none=True)
    surgery_date = IsoDate(allow_none=True)
    issued_at = IsoDateTime()
    deposit_paid_at = IsoDateTime(allow_none=True)
    paid_at = IsoDateTime(allow_none=True)
    cancelled_at = IsoDateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    last_failure_code = fields.String(allow_none=True)
    dispute_lost_cents = fields.Integer(metadata={"description": "taken back by the bank in lost disputes"})


class PaymentView(Schema):
    source = fields.String()
    reference = fields.String()
    status = fields.String()
    amount_cents = fields.Integer()
    refunded_cents = fields.Integer()
    failure_code = fields.String(allow_none=True)
    received_on = IsoDate(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    created_at = IsoDateTime()


class PaymentRequestView(Schema):
    kind = fields.String()
    amount_cents = fields.Integer()
    provider_ref = fields.String()
    created_at = IsoDateTime()


class RefundPartView(Schema):
    """A refund's share on one provider payment: to_send, sent, manual, or failed (finance retries)."""
    payment_reference = fields.String(allow_none=True)
    amount_cents = fields.Integer()
    status = fields.String()
    provider_ref = fields.String(allow_none=True)
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    failed_at = IsoDateTime(allow_none=True)


class RefundView(Schema):
    """A refund decided on cancellation, and its parts (one per provider charge, or manual)."""
    id = fields.String()
    reason_code = fields.String()
    percent = fields.Integer()
    amount_cents = fields.Integer()
    explanation = fields.String()
    created_at = IsoDateTime()
    parts = fields.List(fields.Nested(RefundPartView))


class DisputeView(Schema):
    """A payment the bank disputes: open (its money on hold), then won (kept) or lost (gone)."""
    id = fields.String()
    payment_reference = fields.String(allow_none=True)
    amount_cents = fields.Integer()
    reason = fields.String()
    status = fields.String(metadata={"description": "open, won or lost"})
    evidence_due_by = IsoDateTime(allow_none=True)
    created_at = IsoDateTime()
    closed_at = IsoDateTime(allow_none=True)


class ProviderEventView(Schema):
    id = fields.String()
    type = fields.String()
    received_at = IsoDateTime()
    processed_at = IsoDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    handled_at = IsoDateTime(allow_none=True, metadata={"description": "finance dealt with it by hand"})


class InvoiceEventView(Schema):
    """An event payments committed for the journey."""
    event_id = fields.String()
    type = fields.String()
    at = IsoDateTime()


class InvoiceView(Schema):
    """An invoice with its payments, requests, refunds, disputes and events."""
    invoice = fields.Nested(InvoiceRecord)
    status = fields.String()
    balance_cents = fields.Integer()
    overpaid_cents = fields.Integer()
    payments = fields.List(fields.Nested(PaymentView))
    requests = fields.List(fields.Nested(PaymentRequestView))
    refunds = fields.List(fields.Nested(RefundView))
    disputes = fields.List(fields.Nested(DisputeView))
    provider_events = fields.List(fields.Nested(ProviderEventView))
    events = fields.List(fields.Nested(InvoiceEventView))


class OutstandingDepositView(Schema):
    invoice_id = fields.String()
    journey_id = fields.String()
    deposit_cents = fields.Integer()
    paid_cents = fields.Integer()
    deposit_due = IsoDate()
    overdue = fields.Boolean()
    last_failure_code = fields.String(allow_none=True)


ATTENTION_KINDS = ("disputed", "balance_overdue", "unmatched_provider_event", "failed_refund",
                   "manual_refund", "overpaid")


class AttentionItem(Schema):
    """One thing finance must act on. `reference` is the dispute's id (disputed), the provider event's
    id (unmatched_provider_event) or the refund's id (failed_refund, manual_refund)."""
    kind = fields.String(validate=validate.OneOf(ATTENTION_KINDS))
    journey_id = fields.String(allow_none=True)
    invoice_id = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    amount_cents = fields.Integer(allow_none=True)
    deadline = IsoDateTime(allow_none=True, metadata={
        "description": "a dispute's evidence due-by; when an overdue balance's due day ended"})
    since = IsoDateTime(allow_none=True, metadata={"description": "when it came to need finance"})
    reason = fields.String(allow_none=True, metadata={"description": "why, in a sentence"})
    provider_event_type = fields.String(allow_none=True)


class AttentionList(Schema):
    """Everything finance must act on, the soonest deadline first, then the oldest."""
    items = fields.List(fields.Nested(AttentionItem))


class ProviderEventHandled(Schema):
    """A provider event that matched no invoice, marked as dealt with by finance."""
    provider_event_id = fields.String()
    handled_at = IsoDateTime()
    handled_by = fields.String(allow_none=True)
    note = fields.String()


class RefundRetried(Schema):
    """A failed refund sent again: how many of its parts get a fresh set of tries."""
    refund_id = fields.String()
    parts_to_send = fields.Integer()
    retried_at = IsoDateTime()


class BankTransferReceipt(Schema):
    invoice_id = fields.String()
    payment = fields.Nested(PaymentView)
    duplicate = fields.Boolean()
    balance_cents = fields.Integer()


# The patient pays the deposit or the balance through the provider's hosted checkout (the portal)

CHECKOUT_PARTS = ("deposit", "balance")
CHECKOUT_LANGUAGES = ("en", "nl", "de", "fr", "es")
_RETURN_URL = validate.And(validate.Length(max=1000), validate.Regexp(
    r"^https?://[^\s]+$", error="must be an http(s) address the payer's browser can open"))


class CheckoutForm(Schema):
    """Pay a part: the provider's page is made for it; the payer comes back to success_url (its
    `{CHECKOUT_SESSION_ID}` filled in by the provider) or to cancel_url."""
    part = fields.String(required=True, validate=validate.OneOf(CHECKOUT_PARTS))
    success_url = fields.String(required=True, validate=_RETURN_URL)
    cancel_url = fields.String(required=True, validate=_RETURN_URL)
    language = fields.String(load_default="en", validate=validate.OneOf(CHECKOUT_LANGUAGES),
                             metadata={"description": "the provider's page is shown in it"})
    description = fields.String(load_default="Treatment package", validate=validate.Length(min=1, max=120),
                                metadata={"description": "the line the payer reads on the provider's page"})


class CheckoutStarted(Schema):
    """The checkout session for the part: new, or the open one reused. `status` complete: the payer
    has paid it and its confirmation is on its way (no new one is made)."""
    checkout_session_id = fields.String()
    part = fields.String()
    amount_cents = fields.Integer()
    currency = fields.String()
    url = fields.String(allow_none=True, metadata={"description": "the provider's page, while open"})
    status = fields.String(metadata={"description": "open or complete"})
    reused = fields.Boolean()
    expires_at = IsoDateTime(allow_none=True)


class CheckoutStatus(Schema):
    """Whether a checkout's payment has been received: only once the provider's webhook is applied."""
    checkout_session_id = fields.String()
    part = fields.String()
    amount_cents = fields.Integer()
    currency = fields.String()
    state = fields.String(validate=validate.OneOf(("received", "waiting", "expired")))
    confirmed_at = IsoDateTime(allow_none=True)


class PaymentPartView(Schema):
    """The deposit or the balance as the patient sees it."""
    part = fields.String()
    amount_cents = fields.Integer()
    outstanding_cents = fields.Integer()
    due = IsoDate(allow_none=True, metadata={"description": "none: the balance's date follows the surgery's"})
    paid = fields.Boolean()
    payable = fields.Boolean()
    not_payable_because = fields.String(allow_none=True)


class PaymentOverview(Schema):
    """What the patient has to pay and by when: the deposit, then the balance."""
    currency = fields.String()
    cancelled = fields.Boolean()
    parts = fields.List(fields.Nested(PaymentPartView))
