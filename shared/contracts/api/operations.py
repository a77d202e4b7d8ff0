"""The operations API: dead letters, as every service answers over RPC and the gateway shows
administrators. A letter is shown by its envelope (ids, type, times) and error, never its payload."""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDateTime

SERVICES = ("gateway", "enquiries", "payments", "surgery", "rehabilitation", "travel", "followup",
            "journey", "notifications")
STATUSES = ("parked", "replayed", "discarded")


# Requests

class DeadLetterQuery(Schema):
    service = fields.String(load_default=None, validate=validate.OneOf(SERVICES), metadata={
        "description": "one service's letters; without it, every service's"})
    status = fields.String(load_default="parked", validate=validate.OneOf((*STATUSES, "all")))


# Responses

class EnvelopeView(Schema):
    """The parked message's envelope; its payload is never shown."""
    type = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True)
    occurred_at = fields.String(allow_none=True)
    producer = fields.String(allow_none=True)
    causation_id = fields.String(allow_none=True)
    correlation_id = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)


class DeadLetterView(Schema):
    service = fields.String(metadata={"example": "surgery"})
    id = fields.Integer()
    consumer = fields.String(metadata={"example": "surgery.on_deposit_paid"})
    queue = fields.String()
    event_id = fields.String(allow_none=True)
    event_type = fields.String(allow_none=True)
    journey_id = fields.String(allow_none=True)
    error = fields.String()
    attempts = fields.Integer(metadata={"description": "deliveries tried (0: parked unread)"})
    status = fields.String(validate=validate.OneOf(STATUSES))
    parked_at = IsoDateTime()
    resolved_at = IsoDateTime(allow_none=True)
    envelope = fields.Nested(EnvelopeView, allow_none=True, metadata={
        "description": "null when the message could not be read as an event"})
