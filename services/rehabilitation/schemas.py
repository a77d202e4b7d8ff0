"""RPC input and output of the rehabilitation service: JSON primitives only (dates ISO, kg as strings)."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.errors import Invalid

# Absolute bounds only; the plan's own limits (body weight, steps, pain scale) are domain rules.
LOAD = {"places": 1, "allow_nan": False, "validate": validate.Range(min=0, max=500)}
MINUTES = validate.Range(min=1, max=8 * 60)


class StartLoadIn(Schema):
    start_load_kg = fields.Decimal(required=True, **LOAD)


class SessionIn(Schema):
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)
    load_kg = fields.Decimal(required=True, **LOAD)
    pain_score = fields.Integer(required=True, strict=True)
    notes_ref = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    exercises = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                            load_default=list, validate=validate.Length(max=30))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=500))


class ProsthesisFittedIn(Schema):
    fitted_on = fields.Date(required=True)


class CompletionIn(Schema):
    completed_on = fields.Date(required=True)


class PsychologistSessionIn(Schema):
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True, strict=True, validate=MINUTES)


def load(schema_cls: type[Schema], data) -> dict:
    """Validate RPC input; a bad field is the caller's error (422), not ours."""
    if not isinstance(data, dict):
        raise Invalid("the request must be an object")
    try:
        return schema_cls().load(data, unknown=RAISE)
    except ValidationError as exc:
        raise Invalid("the request has invalid fields", fields=exc.messages) from None


def _kg(**options):
    return fields.Decimal(as_string=True, places=1, allow_none=True, **options)


class SessionOut(Schema):
    id = fields.Integer()
    session_date = fields.Date()
    duration_minutes = fields.Integer()
    load_kg = _kg()
    pain_score = fields.Integer()
    notes_ref = fields.String(allow_none=True)
    exercises = fields.List(fields.String())
    reason = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class PsychologistSessionOut(Schema):
    id = fields.Integer()
    session_date = fields.Date()
    duration_minutes = fields.Integer()
    recorded_by = fields.String(allow_none=True)


class PlanView(Schema):
    """Where the patient is against the target, and what the plan holds."""
    journey_id = fields.String()
    plan_id = fields.String()
    status = fields.String()
    phase = fields.String()
    expected_start = fields.Date(allow_none=True)
    start_date = fields.Date(allow_none=True)
    planned_end = fields.Date(allow_none=True)
    departure_date = fields.Date(allow_none=True)
    start_load_kg = _kg()
    start_load_chosen = fields.Boolean()
    target_load_kg = _kg()
    load_step_kg = _kg()
    ladder_kg = fields.List(_kg())
    best_load_kg = _kg()
    next_step_kg = _kg()
    progress_percent = fields.Integer(allow_none=True)
    target_reached_on = fields.Date(allow_none=True)
    prosthesis_fitted_on = fields.Date(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    attention = fields.List(fields.String())
    session_hours = _kg()
    planned_sessions = fields.List(fields.Date())
    sessions = fields.List(fields.Nested(SessionOut))
    psychologist_requested_on = fields.Date(allow_none=True)
    psychologist_sessions = fields.List(fields.Nested(PsychologistSessionOut))
