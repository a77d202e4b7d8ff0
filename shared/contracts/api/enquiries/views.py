"""What the enquiries service answers: JSON primitives only (dates as ISO text, kg as text).

The gateway dumps a route's `response` schema again over what the service sent, so
those schemas (the receipt, the pre-screen outcome) read the same either way.
"""
from marshmallow import Schema, fields

from shared.contracts.api.fields import IsoDate, IsoDateTime


class PrescreenAnswer(Schema):
    """What the pre-screen answered the enquirer."""
    outcome = fields.String()
    rules_fired = fields.List(fields.String())
    rule_set_version = fields.String()
    earliest_surgery_date = IsoDate(allow_none=True)


class PrescreenOutcome(PrescreenAnswer):
    overridden = fields.Boolean()
    decided_by = fields.String()


class PrescreenRecord(PrescreenOutcome):
    reason = fields.String(allow_none=True)
    decided_at = fields.DateTime()


class EnquiryReceipt(Schema):
    journey_id = fields.String()
    enquiry_id = fields.String()
    kind = fields.String()
    status = fields.String()
    duplicate = fields.Boolean()
    prescreen = fields.Nested(PrescreenAnswer, allow_none=True)


class EnquirySummary(Schema):
    journey_id = fields.String()
    enquiry_id = fields.String(attribute="id")
    kind = fields.String()
    status = fields.String()
    received_at = fields.DateTime()
    name = fields.String(allow_none=True)
    country = fields.String()
    preferred_language = fields.String()
    amputation_level = fields.String(allow_none=True)


class EnquiryWorklistPage(Schema):
    items = fields.List(fields.Nested(EnquirySummary))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ScreeningAppointmentView(Schema):
    id = fields.Integer()
    step = fields.String()
    examination = fields.String(allow_none=True)
    scheduled_at = fields.DateTime()
    channel = fields.String()
    status = fields.String()
    planned_by = fields.String()


class ScreeningStepView(Schema):
    step = fields.String()
    state = fields.String()
    reason = fields.String(allow_none=True)
    done_by = fields.String(allow_none=True)
    done_at = fields.DateTime(allow_none=True)


class ScreeningDecisionView(Schema):
    journey_id = fields.String()
    status = fields.String()
    reasons = fields.List(fields.String())


class ScreeningQuestionnaireStatus(Schema):
    questionnaire_id = fields.String()
    questionnaire_version = fields.Integer()
    status = fields.String()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)


class ScreeningQuestionnaireView(Schema):
    status = fields.String()
    definition = fields.Dict()
    answers = fields.Dict()
    unanswered = fields.List(fields.String())
    submitted_at = fields.DateTime(allow_none=True)


class SecondOpinionAppointmentView(Schema):
    id = fields.Integer()
    scheduled_at = IsoDateTime()
    place = fields.String()
    status = fields.String()
    booked_by = fields.String()


class SecondOpinionView(Schema):
    """A second opinion's state: its appointments, and how it ended (if it has)."""
    journey_id = fields.String()
    status = fields.String()
    appointments = fields.List(fields.Nested(SecondOpinionAppointmentView))
    outcome = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    concluded_by = fields.String(allow_none=True)
    concluded_at = IsoDateTime(allow_none=True)
    suitability_journey_id = fields.String(allow_none=True,
                                           metadata={"description": "the suitability enquiry it opened"})


class EnquiryDetail(EnquirySummary):
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    date_of_birth = fields.Date(allow_none=True)
    prosthesis_complaints = fields.String(allow_none=True)
    other_conditions = fields.String(allow_none=True)
    erased_at = fields.DateTime(allow_none=True)
    amputation_side = fields.String(allow_none=True)
    years_since_amputation = fields.Integer(allow_none=True)
    smoking_status = fields.String(allow_none=True)
    smoking_stopped_on = fields.Date(allow_none=True)
    diabetes = fields.Boolean(allow_none=True)
    circulatory_disease = fields.Boolean(allow_none=True)
    body_weight_kg = fields.Decimal(as_string=True, allow_none=True)
    preferred_date = fields.Date(allow_none=True)
    health_data_consent = fields.Boolean()
    privacy_consent = fields.Boolean()
    marketing_consent = fields.Boolean()
    decision = fields.String(allow_none=True)
    decision_reasons = fields.List(fields.String(), allow_none=True)
    decision_note = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    prescreens = fields.List(fields.Nested(PrescreenRecord))
    steps = fields.List(fields.Nested(ScreeningStepView))
    next_step = fields.String(allow_none=True)
    appointments = fields.List(fields.Nested(ScreeningAppointmentView))
    questionnaire = fields.Nested(ScreeningQuestionnaireStatus, allow_none=True)
    second_opinion = fields.Nested(SecondOpinionView, allow_none=True)
    opened_from_journey_id = fields.String(allow_none=True,
                                           metadata={"description": "the second opinion that opened it"})
    health_questions_unanswered = fields.List(fields.String(), allow_none=True)
