"""RPC input and output of the journey service: only JSON primitives cross the wire."""
from marshmallow import Schema, fields, validate

from shared.contracts.journey import STAGES


class BoardQuery(Schema):
    stage = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STAGES))
    stalled_only = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class JourneyId(Schema):
    journey_id = fields.UUID(required=True)


class StallSchema(Schema):
    reason = fields.String()
    since = fields.Date()


class BoardItemSchema(Schema):
    journey_id = fields.String()
    kind = fields.String(allow_none=True)
    stage = fields.String()
    waiting_for = fields.List(fields.String())
    waiting_labels = fields.List(fields.String())
    stalled = fields.List(fields.Nested(StallSchema))
    started_at = fields.DateTime()
    last_event_at = fields.DateTime()
    event_count = fields.Integer()


class EntrySchema(Schema):
    position = fields.Integer()
    event_id = fields.String()
    type = fields.String()
    producer = fields.String()
    occurred_at = fields.DateTime()
    caused_by = fields.String(allow_none=True)
    caused_by_type = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    summary = fields.String()


class TimelineSchema(BoardItemSchema):
    entries = fields.List(fields.Nested(EntrySchema))


class AppointmentSchema(Schema):
    on = fields.Date()
    what = fields.String()
    past = fields.Boolean()


class PatientViewSchema(Schema):
    stage = fields.String()
    next_steps = fields.List(fields.String())
    appointments = fields.List(fields.Nested(AppointmentSchema))


class AnswerSchema(Schema):
    service = fields.String()
    erased = fields.Boolean()
    retained_reason = fields.String(allow_none=True)
    at = fields.DateTime()


class ErasureStatusSchema(Schema):
    request_id = fields.String()
    journey_id = fields.String()
    requested_at = fields.DateTime()
    requested_by = fields.String()
    was_patient = fields.Boolean()
    status = fields.String()
    awaiting = fields.List(fields.String())
    answers = fields.List(fields.Nested(AnswerSchema))
