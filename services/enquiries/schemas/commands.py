"""What staff and patients send to the enquiries service."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.enquiries.domain.screening import APPOINTMENT_STATUSES, CHANNELS, EXAMINATIONS, STEPS
from shared.contracts.enquiries import DECLINE_REASONS, KINDS, OUTCOMES, SMOKING_STATUSES

STATUSES = ("received", "screening", "on_hold", "waitlisted", "declined", "accepted")
REASON = validate.Length(min=3, max=2000)


class Command(Schema):
    class Meta:
        unknown = RAISE


class Override(Command):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(required=True, validate=REASON)


class Rescreen(Command):
    """New facts since the last pre-screen (today only smoking changes)."""
    smoking_status = fields.String(load_default=None, validate=validate.OneOf(SMOKING_STATUSES))
    smoking_stopped_on = fields.Date(load_default=None, allow_none=True)


class PlanAppointment(Command):
    step = fields.String(required=True, validate=validate.OneOf(STEPS))
    examination = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(EXAMINATIONS))
    scheduled_at = fields.AwareDateTime(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))


class ChangeAppointment(Command):
    status = fields.String(validate=validate.OneOf(APPOINTMENT_STATUSES))
    scheduled_at = fields.AwareDateTime()
    channel = fields.String(validate=validate.OneOf(CHANNELS))

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError("say what changes: status, scheduled_at or channel")


class Skip(Command):
    reason = fields.String(required=True, validate=REASON)


class Decision(Command):
    decision = fields.String(required=True, validate=validate.OneOf(("accepted", "declined")))
    reasons = fields.List(fields.String(validate=validate.OneOf(DECLINE_REASONS)), load_default=list)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))

    @validates_schema
    def _declines_say_why(self, data, **kwargs):
        if data["decision"] == "declined" and not data["reasons"]:
            raise ValidationError("a decline needs at least one reason", "reasons")


class Answers(Command):
    answers = fields.Dict(keys=fields.String(), required=True)


class Worklist(Command):
    status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STATUSES))
    kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(KINDS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))
