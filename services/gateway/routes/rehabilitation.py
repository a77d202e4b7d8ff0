"""Rehabilitation: the physiotherapist's sessions and the patient's progress to the target load.

Bodies are checked here for shape; the rehabilitation service applies the
plan's rules (steps, target, stay, pain scale) and stores nothing it refuses.
"""
from marshmallow import Schema, fields

from services.gateway.roles import PHYSIOTHERAPIST, PSYCHOLOGIST, SPECIALIST
from services.gateway.routing import route

TAG = "rehabilitation"
BASE = "/journeys/<uuid:journey_id>/rehabilitation"
READERS = {PHYSIOTHERAPIST, SPECIALIST, PSYCHOLOGIST}
PHASES = ("awaiting_discharge | awaiting_body_weight | load_build_up | prosthesis_adjustment"
          " | gait_training | completed | withdrawn")
KG = {"places": 1, "as_string": True, "allow_nan": False}


class RehabStartLoadRequest(Schema):
    start_load_kg = fields.Decimal(required=True, **KG)


class RehabSessionRequest(Schema):
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True, strict=True)
    load_kg = fields.Decimal(required=True, **KG)
    pain_score = fields.Integer(required=True, strict=True)
    notes_ref = fields.String(load_default=None, allow_none=True, metadata={
        "description": "a reference to the note in the patient file, never the note itself"})
    exercises = fields.List(fields.String(), load_default=list)
    reason = fields.String(load_default=None, allow_none=True, metadata={
        "description": "required for a load above the plan's next step or above the target"})


class RehabFittingRequest(Schema):
    fitted_on = fields.Date(required=True)


class RehabCompletionRequest(Schema):
    completed_on = fields.Date(required=True)


class RehabPsychologistSessionRequest(Schema):
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True, strict=True)


class RehabSession(Schema):
    id = fields.Integer()
    session_date = fields.String()
    duration_minutes = fields.Integer()
    load_kg = fields.String()
    pain_score = fields.Integer()
    notes_ref = fields.String(allow_none=True)
    exercises = fields.List(fields.String())
    reason = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class RehabPsychologistSession(Schema):
    id = fields.Integer()
    session_date = fields.String()
    duration_minutes = fields.Integer()
    recorded_by = fields.String(allow_none=True)


class RehabPlan(Schema):
    """Dates are ISO strings and loads decimal strings in kg, as the service sends them."""
    journey_id = fields.String()
    plan_id = fields.String()
    status = fields.String(metadata={"description": "awaiting | active | completed | withdrawn"})
    phase = fields.String(metadata={"description": PHASES})
    expected_start = fields.String(allow_none=True)
    start_date = fields.String(allow_none=True)
    planned_end = fields.String(allow_none=True)
    departure_date = fields.String(allow_none=True)
    start_load_kg = fields.String(allow_none=True)
    start_load_chosen = fields.Boolean()
    target_load_kg = fields.String(allow_none=True)
    load_step_kg = fields.String(allow_none=True)
    ladder_kg = fields.List(fields.String())
    best_load_kg = fields.String(allow_none=True)
    next_step_kg = fields.String(allow_none=True)
    progress_percent = fields.Integer(allow_none=True)
    target_reached_on = fields.String(allow_none=True)
    prosthesis_fitted_on = fields.String(allow_none=True)
    completed_on = fields.String(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    attention = fields.List(fields.String())
    session_hours = fields.String(allow_none=True)
    planned_sessions = fields.List(fields.String())
    sessions = fields.List(fields.Nested(RehabSession))
    psychologist_requested_on = fields.String(allow_none=True)
    psychologist_sessions = fields.List(fields.Nested(RehabPsychologistSession))


def _rpc(ctx):
    return ctx.rpc("rehabilitation")


def _json(schema_cls, ctx) -> dict:
    return schema_cls().dump(ctx.body)


@route("GET", BASE, roles=READERS, summary="Show the rehabilitation plan and progress", tag=TAG,
       response=RehabPlan)
def rehab_plan(ctx, journey_id):
    return _rpc(ctx).get_plan(str(journey_id))


@route("PUT", BASE + "/start-load", roles=PHYSIOTHERAPIST, summary="Choose the start load (5 or 20 kg)",
       tag=TAG, body=RehabStartLoadRequest, response=RehabPlan)
def rehab_start_load(ctx, journey_id):
    return _rpc(ctx).choose_start_load(str(journey_id), _json(RehabStartLoadRequest, ctx))


@route("POST", BASE + "/sessions", roles=PHYSIOTHERAPIST, summary="Record a physiotherapy session",
       tag=TAG, body=RehabSessionRequest, response=RehabPlan, status=201)
def rehab_session(ctx, journey_id):
    return _rpc(ctx).record_session(str(journey_id), _json(RehabSessionRequest, ctx))


@route("POST", BASE + "/prosthesis-fitting", roles={PHYSIOTHERAPIST, SPECIALIST},
       summary="Record the prosthesis fitted", tag=TAG, body=RehabFittingRequest, response=RehabPlan,
       status=201)
def rehab_prosthesis_fitted(ctx, journey_id):
    return _rpc(ctx).record_prosthesis_fitted(str(journey_id), _json(RehabFittingRequest, ctx))


@route("POST", BASE + "/completion", roles={PHYSIOTHERAPIST, SPECIALIST},
       summary="Complete rehabilitation (the patient may fly home)", tag=TAG, body=RehabCompletionRequest,
       response=RehabPlan, status=201)
def rehab_completion(ctx, journey_id):
    return _rpc(ctx).complete_rehabilitation(str(journey_id), _json(RehabCompletionRequest, ctx))


@route("POST", BASE + "/psychologist-request", roles=READERS, summary="Ask for a psychologist to assist",
       tag=TAG, response=RehabPlan, status=201)
def rehab_psychologist_request(ctx, journey_id):
    return _rpc(ctx).request_psychologist(str(journey_id))


@route("POST", BASE + "/psychologist-sessions", roles=PSYCHOLOGIST, summary="Record a psychologist session",
       tag=TAG, body=RehabPsychologistSessionRequest, response=RehabPlan, status=201)
def rehab_psychologist_session(ctx, journey_id):
    return _rpc(ctx).record_psychologist_session(str(journey_id), _json(RehabPsychologistSessionRequest, ctx))
