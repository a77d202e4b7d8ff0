"""Events produced by the rehabilitation service."""
from marshmallow import Schema, fields

from shared.events import contract


@contract("rehab_plan_created", 1)
class RehabPlanCreated(Schema):
    plan_id = fields.String(required=True)
    start_date = fields.Date(required=True)
    planned_end = fields.Date(required=True)
    target_load_kg = fields.Decimal(required=True, as_string=True, places=1)


@contract("rehab_attention_needed", 1)
class RehabAttentionNeeded(Schema):
    plan_id = fields.String(required=True)
    reason_code = fields.String(required=True)


@contract("rehab_target_load_reached", 1)
class RehabTargetLoadReached(Schema):
    plan_id = fields.String(required=True)
    reached_on = fields.Date(required=True)
    load_kg = fields.Decimal(required=True, as_string=True, places=1)


@contract("prosthesis_fitted", 1)
class ProsthesisFitted(Schema):
    plan_id = fields.String(required=True)
    fitted_on = fields.Date(required=True)


@contract("rehab_completed", 1)
class RehabCompleted(Schema):
    plan_id = fields.String(required=True)
    completed_on = fields.Date(required=True)
    planned_end = fields.Date(required=True)


@contract("rehab_plan_withdrawn", 1)
class RehabPlanWithdrawn(Schema):
    plan_id = fields.String(required=True)
    reason_code = fields.String(required=True)


@contract("rehab_behind_plan", 1)
class RehabBehindPlan(Schema):
    """Missed days moved the plan's projected end relative to the booked departure: past it by
    `days_past_departure` (a warning for the physiotherapist and the travel desk), or back within it (0).
    Ids and counts only."""
    plan_id = fields.String(required=True)
    missed_days = fields.Integer(required=True)
    missed_sessions = fields.Integer(required=True)
    days_past_departure = fields.Integer(required=True)
