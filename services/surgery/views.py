"""RPC output: cases and calendar days dumped to JSON primitives."""
from marshmallow import Schema, fields


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
