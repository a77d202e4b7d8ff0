"""RPC input: validated here too, whatever the gateway checked (output: views.py)."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.surgery import domain
from shared.errors import Invalid


class Reschedule(Schema):
    reason_code = fields.String(required=True, validate=validate.OneOf(domain.RESCHEDULE_REASONS))
    surgery_date = fields.Date(load_default=None, allow_none=True)


class Schedule(Schema):
    surgery_date = fields.Date(load_default=None, allow_none=True)


class Cancel(Schema):
    reason_code = fields.String(required=True, validate=validate.OneOf(domain.CANCEL_REASONS))


class PreopCheckIn(Schema):
    fit = fields.Boolean(required=True)
    reason_code = fields.String(load_default=None, allow_none=True,
                                validate=validate.OneOf(domain.NOT_FIT_REASONS))
    checked_on = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))

    @validates_schema
    def _reason_when_not_fit(self, data, **kwargs):
        if not data["fit"] and not data.get("reason_code"):
            raise ValidationError("required when not fit", "reason_code")


class OperationIn(Schema):
    performed_on = fields.Date(required=True)
    side = fields.String(required=True, validate=validate.OneOf(domain.SIDES))
    implant_type = fields.String(required=True, validate=validate.Length(min=1, max=100))
    implant_size = fields.String(required=True, validate=validate.Length(min=1, max=50))
    implant_lot = fields.String(required=True, validate=validate.Length(min=1, max=100))
    implant_serial = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    complications = fields.List(fields.String(validate=validate.OneOf(domain.COMPLICATIONS)),
                                load_default=list)
    complication_note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class WardVisitIn(Schema):
    visit_date = fields.Date(required=True)
    slot = fields.String(required=True, validate=validate.OneOf(domain.VISIT_SLOTS))
    note = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class ImageIn(Schema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=300))
    taken_on = fields.Date(required=True)


class DischargeIn(Schema):
    discharged_on = fields.Date(required=True)


class CalendarQuery(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)


def load(schema_cls: type[Schema], data) -> dict:
    """Validate RPC input; a bad field is Invalid (422) with per-field messages."""
    if not isinstance(data, dict):
        raise Invalid("the request must be an object")
    try:
        loaded = schema_cls().load(data, unknown=RAISE)
    except ValidationError as exc:
        raise Invalid("the request has invalid fields", fields=exc.messages) from None
    return loaded
