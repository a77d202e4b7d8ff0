"""Events produced by the follow-up service. Images travel as references and checksums."""
from marshmallow import Schema, fields

from shared.events import contract


@contract("followup_planned", 1)
class FollowupPlanned(Schema):
    plan_id = fields.String(required=True)
    checkup_dates = fields.List(fields.Date(), required=True)


@contract("checkup_completed", 1)
class CheckupCompleted(Schema):
    checkup_id = fields.String(required=True)
    outcome = fields.String(required=True)


@contract("imaging_received", 1)
class ImagingReceived(Schema):
    image_id = fields.String(required=True)
    sha256 = fields.String(required=True)
    media_type = fields.String(required=True)
    body_part = fields.String(required=True)
    review_due = fields.Date(required=True)


@contract("complication_reported", 1)
class ComplicationReported(Schema):
    escalation_id = fields.String(required=True)
    kind = fields.String(required=True)
    act_by = fields.Date(required=True)
