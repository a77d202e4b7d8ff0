"""What staff and patients send to the enquiries service (the gateway checks it with the same classes)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.contracts.api.enquiries.forms import one_of
from shared.contracts.enquiries import (
    AMPUTATION_LEVELS,
    AMPUTATION_SIDES,
    DECLINE_REASONS,
    KINDS,
    OUTCOMES,
    SCREENING_STEPS,
    SECOND_OPINION_OUTCOMES,
    SMOKING_STATUSES,
)

ENQUIRY_STATUSES = ("received", "screening", "on_hold", "waitlisted", "declined", "accepted",
                    # a second opinion's (services/enquiries/domain/second_opinion.py), and a suitability
                    # enquiry it opened, until the health questions are answered
                    "booked", "held", "missed", "concluded", "awaiting_health")
# Appointment vocabularies (services/enquiries/domain/screening.py rules on them; a test keeps them equal).
EXAMINATIONS = ("x_ray", "bone_density", "blood_tests", "other")
CHANNELS = ("phone", "video", "in_person")
APPOINTMENT_STATUSES = ("planned", "done", "missed", "cancelled")
REASON = validate.Length(min=3, max=2000)


class PrescreenOverride(Schema):
    outcome = one_of(OUTCOMES, required=True)
    reason = fields.String(required=True, validate=REASON)


class RescreenFacts(Schema):
    """New facts since the last pre-screen (today only smoking changes)."""
    smoking_status = one_of(SMOKING_STATUSES, load_default=None)
    smoking_stopped_on = fields.Date(load_default=None, allow_none=True)


class ScreeningAppointment(Schema):
    step = one_of(SCREENING_STEPS, required=True)
    examination = one_of(EXAMINATIONS, load_default=None, allow_none=True)
    scheduled_at = fields.AwareDateTime(required=True)
    channel = one_of(CHANNELS, required=True)


class ScreeningAppointmentChange(Schema):
    status = one_of(APPOINTMENT_STATUSES)
    scheduled_at = fields.AwareDateTime()
    channel = one_of(CHANNELS)

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError("say what changes: status, scheduled_at or channel")


class StepSkip(Schema):
    reason = fields.String(required=True, validate=REASON)


class ScreeningDecision(Schema):
    decision = one_of(("accepted", "declined"), required=True)
    reasons = fields.List(one_of(DECLINE_REASONS), load_default=list)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000),
                         metadata={"description": "kept in the enquiry only, never announced"})

    @validates_schema
    def _declines_say_why(self, data, **kwargs):
        if data["decision"] == "declined" and not data["reasons"]:
            raise ValidationError("a decline needs at least one reason", "reasons")


class QuestionnaireAnswers(Schema):
    answers = fields.Dict(keys=fields.String(), required=True,
                          metadata={"description": "question id → answer; null clears a saved answer"})


class EnquiryWorklistQuery(Schema):
    status = one_of(ENQUIRY_STATUSES, load_default=None, allow_none=True)
    kind = one_of(KINDS, load_default=None, allow_none=True)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class SecondOpinionBooking(Schema):
    """An appointment at the partner clinic, agreed with the person."""
    scheduled_at = fields.AwareDateTime(required=True, metadata={"example": "2030-01-10T10:00:00+01:00"})
    place = fields.String(required=True, validate=validate.Length(min=2, max=200),
                          metadata={"example": "Partner clinic, Amsterdam"})


class SecondOpinionAppointmentChange(Schema):
    """How the appointment went (held or missed), or a new time or place for a booked one."""
    status = one_of(("held", "missed"))
    scheduled_at = fields.AwareDateTime()
    place = fields.String(validate=validate.Length(min=2, max=200))

    @validates_schema
    def _one_thing(self, data, **kwargs):
        if not data:
            raise ValidationError("say what changes: status, or scheduled_at and place")
        if "status" in data and len(data) > 1:
            raise ValidationError("record how it went, or move it; not both at once")


class SecondOpinionConclusion(Schema):
    outcome = one_of(SECOND_OPINION_OUTCOMES, required=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000),
                         metadata={"description": "kept in the enquiry only, never announced"})


class HealthAnswers(Schema):
    """The suitability questions a second opinion did not ask; those already known may be left out."""
    date_of_birth = fields.Date()
    amputation_level = one_of(AMPUTATION_LEVELS)
    amputation_side = one_of(AMPUTATION_SIDES)
    years_since_amputation = fields.Integer(strict=True, validate=validate.Range(0, 110))
    smoking_status = one_of(SMOKING_STATUSES)
    smoking_stopped_on = fields.Date(allow_none=True)
    diabetes = fields.Boolean(truthy={True}, falsy={False})
    circulatory_disease = fields.Boolean(truthy={True}, falsy={False})
    other_conditions = fields.String(allow_none=True, validate=validate.Length(max=4000))
    body_weight_kg = fields.Decimal(places=1, as_string=True, validate=validate.Range(20, 350),
                                    metadata={"minimum": 20, "maximum": 350, "example": 74.5})
