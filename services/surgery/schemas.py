"""RPC input and output: only JSON primitives cross the wire."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from services.surgery import domain
from shared.errors import Invalid

Text = fields.String


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
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class OperationIn(Schema):
    performed_on = fields.Date(required=True)
    side = fields.String(required=True, validate=validate.OneOf(domain.SIDES))
    implant_type = Text(required=True, validate=validate.Length(min=1, max=100))
    implant_size = Text(required=True, validate=validate.Length(min=1, max=50))
    implant_lot = Text(required=True, validate=validate.Length(min=1, max=100))
    implant_serial = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))
    complications = fields.List(fields.String(validate=validate.OneOf(domain.COMPLICATIONS)),
                                load_default=list)
    complication_note = Text(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class WardVisitIn(Schema):
    visit_date = fields.Date(required=True)
    slot = fields.String(required=True, validate=validate.OneOf(domain.VISIT_SLOTS))
    note = Text(required=True, validate=validate.Length(min=1, max=4000))


class ImageIn(Schema):
    reference = Text(required=True, validate=validate.Length(min=1, max=300))
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
    if schema_cls is PreopCheckIn and not loaded["fit"] and not loaded["reason_code"]:
        raise Invalid("a patient found not fit needs a reason",
                      fields={"reason_code": ["required when not fit"]})
    return loaded


class PlanOut(Schema):
    arrival_by = fields.Date()
    preop_check_date = fields.Date()
    surgery_date = fields.Date()
    planned_ward_discharge = fields.Date()
    planned_rehab_end = fields.Date()
    departure_date = fields.Date()
    stay_days = fields.Integer()


class PreopCheckOut(Schema):
    checked_on = fields.Date()
    surgery_date = fields.Date()
    fit = fields.Boolean()
    reason_code = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)


class OperationOut(Schema):
    performed_on = fields.Date()
    side = fields.String()
    implant_type = fields.String()
    implant_size = fields.String()
    implant_lot = fields.String()
    implant_serial = fields.String(allow_none=True)
    complications = fields.Function(lambda record: [code for code in record.complications.split(",") if code])
    complication_note = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)


class WardVisitOut(Schema):
    visit_date = fields.Date()
    slot = fields.String()
    note = fields.String()
    actor = fields.String(allow_none=True)


class ImageOut(Schema):
    reference = fields.String()
    taken_on = fields.Date()
    actor = fields.String(allow_none=True)


class ChangeOut(Schema):
    kind = fields.String()
    surgery_date = fields.Date(allow_none=True)
    reason_code = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    at = fields.DateTime()


class CaseOut(Schema):
    journey_id = fields.String()
    status = fields.String()
    surgery_id = fields.String(allow_none=True)
    waiting_for = fields.List(fields.String())
    earliest_surgery_date = fields.Date(allow_none=True)
    plan = fields.Nested(PlanOut, allow_none=True)
    blocked_by = fields.List(fields.String())
    performed_on = fields.Date(allow_none=True)
    discharged_on = fields.Date(allow_none=True)
    preop_checks = fields.List(fields.Nested(PreopCheckOut))
    operation = fields.Nested(OperationOut, allow_none=True)
    ward_visits = fields.List(fields.Nested(WardVisitOut))
    images = fields.List(fields.Nested(ImageOut))
    history = fields.List(fields.Nested(ChangeOut))


class CalendarDayOut(Schema):
    date = fields.Date()
    status = fields.String()
    closed_reason = fields.String(allow_none=True)
    surgeries = fields.Integer()
    capacity = fields.Integer()
    ward_beds_taken = fields.Integer()
    ward_beds = fields.Integer()
    journeys = fields.List(fields.String())
