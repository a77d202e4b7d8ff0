"""Provider webhooks handed from the gateway to the service that owns them (shared/handoff.py).

Each is a kernel event addressed to one consumer, not a fact of a journey: it lives here,
beside the API's schemas, and the journey's catalogue of facts (shared/contracts/*.py) leaves
it out. Its payload is the provider's event as verified (an agency's without the passenger
it may echo, see AgencyEventForm); the consumer reads it with its own rules.
"""
from marshmallow import Schema, fields

from shared.events import contract


@contract("payment_webhook_received", 1)
class PaymentWebhookReceived(Schema):
    """A payment provider's event whose signature the gateway verified; payments stores it."""
    event = fields.Dict(required=True)


@contract("agency_webhook_received", 1)
class AgencyWebhookReceived(Schema):
    """A travel agency's event whose signature the gateway verified; travel stores it."""
    event = fields.Dict(required=True)


class WebhookReceipt(Schema):
    """The answer to a webhook: held durably for the service that applies it."""
    received = fields.Boolean()
