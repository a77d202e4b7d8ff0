"""The rehabilitation API: request forms and response views, used by the service and the gateway alike.

JSON primitives only: dates as ISO text, kilograms as decimal text with one place
("41.0"). Bounds here are absolute (no one loads 500 kg); the plan's own limits
(body weight, steps, target, stay, pain scale) are the service's domain rules.
"""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDate

MAX_LOAD_KG = 500
MINUTES = validate.Range(min=1, max=8 * 60)
PHASES = ("awaiting_discharge | awaiting_body_weight | load_build_up | prosthesis_adjustment"
          " | gait_training | completed | withdrawn")


def kg(**options) -> fields.Decimal:
    """Kilograms to one place; loads decimal text or a number, dumps decimal text."""
    return fields.Decimal(places=1, as_string=True, allow_nan=False, **options)


def pin_load(**options) -> fields.Decimal:
    """A load on the pin in a request: 0 to 500 kg (the patient's own limit is a domain rule)."""
    return kg(validate=validate.Range(min=0, max=MAX_LOAD_KG),
              metadata={"minimum": 0, "maximum": MAX_LOAD_KG}, **options)  # numbers in the OpenAPI document


def kg_text(*, allow_none: bool = True) -> fields.Decimal:
    """Kilograms in an answer: decimal text with one place (or null)."""
    return kg(allow_none=allow_none, metadata={"type": "string", "example": "41.0"})


# Requests

class RehabStartLoadForm(Schema):
    start_load_kg = pin_load(required=True)


class RehabSessionForm(Schema):
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)
    load_kg = pin_load(required=True)
    pain_score = fields.Integer(required=True, strict=True)
    notes_ref = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "a reference to the note in the patient file, "
                                                       "never the note itself"})
    exercises = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                            load_default=list, validate=validate.Length(max=30))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=500),
                           metadata={"description": "required for a load above the plan's next step "
                                                    "or above the target"})


class RehabFittingForm(Schema):
    fitted_on = fields.Date(required=True)


class RehabCompletionForm(Schema):
    completed_on = fields.Date(required=True)


REASON_CODE = dict(validate=validate.Regexp(r"^[a-z][a-z_]{0,39}$", error="must be a reason code "
                                                                        "(lower-case letters and _)"),
                   metadata={"description": "why it was missed: one of REHABILITATION.missed_reasons "
                                            "(by default unwell, pain, stoma_care, medical_appointment, "
                                            "fatigue, personal, other)"})


class RehabDayForm(Schema):
    """One day of daily rehabilitation: done, or missed with a reason code. Again for a day: a correction."""
    day = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["done", "missed"]))
    reason_code = fields.String(load_default=None, allow_none=True, **REASON_CODE)


class RehabMissedSessionForm(Schema):
    """A supervised session the patient did not attend."""
    session_date = fields.Date(required=True)
    reason_code = fields.String(required=True, **REASON_CODE)


class RehabPsychologistSessionForm(Schema):
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)


# Responses

class RehabSessionView(Schema):
    id = fields.Integer()
    session_date = IsoDate()
    duration_minutes = fields.Integer()
    load_kg = kg_text()
    pain_score = fields.Integer()
    notes_ref = fields.String(allow_none=True)
    exercises = fields.List(fields.String())
    reason = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class RehabPsychologistSessionView(Schema):
    id = fields.Integer()
    session_date = IsoDate()
    duration_minutes = fields.Integer()
    recorded_by = fields.String(allow_none=True)


class RehabDayView(Schema):
    day = IsoDate()
    status = fields.String(metadata={"description": "done | missed"})
    reason_code = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class RehabMissedSessionView(Schema):
    session_date = IsoDate()
    reason_code = fields.String()
    recorded_by = fields.String(allow_none=True)


class RehabAttendanceView(Schema):
    """Where the patient stands against the days of the plan: each missed day moves the projected end."""
    done_days = fields.Integer()
    missed_days = fields.Integer()
    unrecorded_days = fields.Integer(metadata={"description": "plan days up to yesterday not yet recorded "
                                                              "(not counted as missed)"})
    attended_sessions = fields.Integer()
    missed_sessions = fields.Integer()
    days_behind = fields.Integer()
    behind_plan = fields.Boolean()
    projected_end = IsoDate(metadata={"description": "the planned end moved by the missed days"})
    departure_date = IsoDate(allow_none=True)
    days_past_departure = fields.Integer(metadata={"description": "how far the projected end lies after the "
                                                                  "booked departure (0: it still fits)"})
    past_departure = fields.Boolean()


class RehabPlanView(Schema):
    """Where the patient is against the target, and what the plan holds."""
    journey_id = fields.String()
    plan_id = fields.String()
    status = fields.String(metadata={"description": "awaiting | active | completed | withdrawn"})
    phase = fields.String(metadata={"description": PHASES})
    expected_start = IsoDate(allow_none=True)
    start_date = IsoDate(allow_none=True)
    planned_end = IsoDate(allow_none=True)
    departure_date = IsoDate(allow_none=True)
    start_load_kg = kg_text()
    start_load_chosen = fields.Boolean()
    target_load_kg = kg_text()
    load_step_kg = kg_text()
    ladder_kg = fields.List(kg_text(allow_none=False))
    best_load_kg = kg_text()
    next_step_kg = kg_text()
    progress_percent = fields.Integer(allow_none=True)
    target_reached_on = IsoDate(allow_none=True)
    prosthesis_fitted_on = IsoDate(allow_none=True)
    completed_on = IsoDate(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    attention = fields.List(fields.String())
    session_hours = kg_text()
    planned_sessions = fields.List(IsoDate())
    sessions = fields.List(fields.Nested(RehabSessionView))
    psychologist_requested_on = IsoDate(allow_none=True)
    psychologist_sessions = fields.List(fields.Nested(RehabPsychologistSessionView))
    days = fields.List(fields.Nested(RehabDayView))
    missed_sessions = fields.List(fields.Nested(RehabMissedSessionView))
    attendance = fields.Nested(RehabAttendanceView, allow_none=True)
