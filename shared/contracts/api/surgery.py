"""The surgery API: request forms and response views, used by the service and the gateway alike.

The code lists below are the wire vocabulary: a reason, a complication or a side
outside them is refused at the gateway and again at the service.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

RESCHEDULE_REASONS = ("patient_request", "surgeon_unavailable", "theatre_unavailable",
                      "not_fit_for_surgery", "travel_disruption", "clinical", "other")
CANCEL_REASONS = ("patient_withdrew", "clinically_contraindicated", "payment_not_completed",
                  "declined_after_review", "other")
NOT_FIT_REASONS = ("infection", "abnormal_blood_values", "cardiovascular", "skin_condition",
                   "smoking", "other")
COMPLICATIONS = ("bleeding", "fracture", "nerve_injury", "anaesthesia", "wound", "other")
SIDES = ("left", "right")
VISIT_SLOTS = ("morning", "evening")
DAY_STATUSES = ("free", "booked", "closed")
TEXT = validate.Length(min=1, max=4000)


# Requests

class ScheduleSurgery(Schema):
    surgery_date = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the date; without it, the first valid date"})


class RescheduleSurgery(Schema):
    reason_code = fields.String(required=True, validate=validate.OneOf(RESCHEDULE_REASONS),
                                metadata={"example": "surgeon_unavailable"})
    surgery_date = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the new date; without it, the first valid date after the current one"})


class CancelSurgery(Schema):
    reason_code = fields.String(required=True, validate=validate.OneOf(CANCEL_REASONS),
                                metadata={"example": "patient_withdrew"})


class PreopCheckResult(Schema):
    fit = fields.Boolean(required=True)
    reason_code = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(NOT_FIT_REASONS),
                                metadata={"description": "required when not fit", "example": "infection"})
    checked_on = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=TEXT)

    @validates_schema
    def _reason_when_not_fit(self, data, **kwargs):
        if not data["fit"] and not data.get("reason_code"):
            raise ValidationError("required when not fit", "reason_code")


class OperatedSide(Schema):
    """One side operated and its implant; complications are those of this side."""
    side = fields.String(required=True, validate=validate.OneOf(SIDES))
    implant_type = fields.String(required=True, validate=validate.Length(min=1, max=100))
    implant_size = fields.String(required=True, validate=validate.Length(min=1, max=50))
    implant_lot = fields.String(required=True, validate=validate.Length(min=1, max=100))
    implant_serial = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    complications = fields.List(fields.String(validate=validate.OneOf(COMPLICATIONS)), load_default=list)
    complication_note = fields.String(load_default=None, allow_none=True, validate=TEXT)


class SurgeryOperation(Schema):
    """The operation: one entry per side operated (two for a bilateral patient)."""
    performed_on = fields.Date(required=True)
    sides = fields.List(fields.Nested(OperatedSide), required=True,
                        validate=validate.Length(min=1, max=len(SIDES)))

    @validates_schema
    def _each_side_once(self, data, **kwargs):
        sides = [entry["side"] for entry in data.get("sides") or ()]
        if len(sides) != len(set(sides)):
            raise ValidationError("each side is recorded once", "sides")


class WardVisitNote(Schema):
    visit_date = fields.Date(required=True)
    slot = fields.String(required=True, validate=validate.OneOf(VISIT_SLOTS))
    note = fields.String(required=True, validate=TEXT)


class PostSurgeryImage(Schema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=300),
                              metadata={"description": "where the image is kept (e.g. a PACS accession)"})
    taken_on = fields.Date(required=True)


class WardDischarge(Schema):
    discharged_on = fields.Date(required=True)


class OperatingCalendarQuery(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)


# Responses

class SurgeryPlanView(Schema):
    arrival_by = fields.Date()
    preop_check_date = fields.Date()
    surgery_date = fields.Date()
    planned_ward_discharge = fields.Date()
    planned_rehab_end = fields.Date()
    departure_date = fields.Date()
    stay_days = fields.Integer()


class PreopCheckView(Schema):
    checked_on = fields.Date()
    surgery_date = fields.Date()
    fit = fields.Boolean()
    reason_code = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)


class OperatedSideView(Schema):
    performed_on = fields.Date()
    side = fields.String()
    implant_type = fields.String()
    implant_size = fields.String()
    implant_lot = fields.String()
    implant_serial = fields.String(allow_none=True)
    complications = fields.Function(lambda record: [code for code in record.complications.split(",") if code])
    complication_note = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)


class DisputeView(Schema):
    dispute_id = fields.String()
    invoice_id = fields.String(allow_none=True)
    amount_cents = fields.Integer(allow_none=True)
    evidence_due_by = fields.AwareDateTime(allow_none=True)
    outcome = fields.String(allow_none=True, metadata={"description": "won or lost; empty while open"})


class PaymentStandingView(Schema):
    """What payments told surgery: whether the balance is paid, and disputes on the payments."""
    balance_paid = fields.Boolean()
    balance_cents = fields.Integer(allow_none=True, metadata={"description": "still owed, when dated"})
    balance_due = fields.Date(allow_none=True)
    unpaid_balance_policy = fields.String(metadata={"enum": ["warn", "block"]})
    disputed = fields.Boolean(metadata={"description": "a payment the surgery rests on is disputed"})
    disputes = fields.List(fields.Nested(DisputeView))


class WarningView(Schema):
    code = fields.String(metadata={"example": "balance_unpaid"})
    message = fields.String()


class WardVisitView(Schema):
    visit_date = fields.Date()
    slot = fields.String()
    note = fields.String()
    actor = fields.String(allow_none=True)


class PostSurgeryImageView(Schema):
    reference = fields.String()
    taken_on = fields.Date()
    actor = fields.String(allow_none=True)


class ScheduleChangeView(Schema):
    kind = fields.String()
    surgery_date = fields.Date(allow_none=True)
    reason_code = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    at = fields.DateTime()


class SurgeryCaseView(Schema):
    journey_id = fields.String()
    status = fields.String()
    surgery_id = fields.String(allow_none=True)
    waiting_for = fields.List(fields.String())
    earliest_surgery_date = fields.Date(allow_none=True)
    plan = fields.Nested(SurgeryPlanView, allow_none=True)
    blocked_by = fields.List(fields.String())
    performed_on = fields.Date(allow_none=True)
    discharged_on = fields.Date(allow_none=True)
    preop_checks = fields.List(fields.Nested(PreopCheckView))
    in_country_since = fields.Date(allow_none=True, metadata={
        "description": "the patient reported at the pre-op check, so is in the Netherlands since then"})
    operations = fields.List(fields.Nested(OperatedSideView), metadata={
        "description": "one record per side operated, each with its implant"})
    payment = fields.Nested(PaymentStandingView)
    warnings = fields.List(fields.Nested(WarningView))
    ward_visits = fields.List(fields.Nested(WardVisitView))
    images = fields.List(fields.Nested(PostSurgeryImageView))
    history = fields.List(fields.Nested(ScheduleChangeView))


class OperatingDay(Schema):
    """Dumped by the service and again by the gateway: `date` is a string either way."""
    date = fields.String(metadata={"format": "date"})
    status = fields.String(metadata={"enum": list(DAY_STATUSES)})
    closed_reason = fields.String(allow_none=True)
    surgeries = fields.Integer()
    capacity = fields.Integer()
    ward_beds_taken = fields.Integer()
    ward_beds = fields.Integer()
    journeys = fields.List(fields.String())
    disputed_journeys = fields.List(fields.String(), metadata={
        "description": "journeys booked that day whose surgery rests on a disputed payment"})
