"""RPC input and output: validated on the way in, JSON primitives on the way out."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from services.followup.domain import assessment, checkups, guidance, schedule
from shared.errors import Invalid

CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error="lower-case letters, digits and _")


def load(schema_cls: type[Schema], data) -> dict:
    """Load RPC input, or raise Invalid with per-field messages."""
    try:
        return schema_cls().load(data or {}, unknown=RAISE)
    except ValidationError as exc:
        raise Invalid("the request has invalid fields", fields=exc.messages) from None


class PreferencesIn(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(schedule.CHANNELS))
    video_app = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(schedule.VIDEO_APPS))
    time_zone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))


class FindingsIn(Schema):
    stoma_condition = fields.String(required=True, validate=validate.OneOf(checkups.STOMA_CONDITIONS))
    pain_score = fields.Integer(required=True, strict=True, validate=validate.Range(0, 10))
    infection_signs = fields.Boolean(required=True)
    activity_level = fields.String(required=True, validate=validate.OneOf(checkups.ACTIVITY_LEVELS))
    implant_stability = fields.String(required=True, validate=validate.OneOf(checkups.IMPLANT_STABILITY))


class CheckupOutcomeIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(checkups.OUTCOMES))
    findings = fields.Nested(FindingsIn, load_default=None, allow_none=True)
    reason_code = fields.String(load_default=None, allow_none=True, validate=CODE)
    completed_on = fields.Date(load_default=None, allow_none=True)


class UploadIn(Schema):
    body_part = fields.String(required=True, validate=CODE)
    made_where = fields.String(required=True, validate=validate.Length(min=2, max=120))
    made_on = fields.Date(load_default=None, allow_none=True)
    checkup_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))


class AssessmentIn(Schema):
    subject = fields.String(required=True, validate=validate.OneOf(assessment.SUBJECTS))
    subject_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    outcome = fields.String(required=True, validate=validate.OneOf(assessment.ASSESSMENT_OUTCOMES))
    concerns = fields.List(fields.String(validate=validate.OneOf(assessment.COMPLICATIONS)),
                           load_default=list)


class ResolveIn(Schema):
    action_code = fields.String(required=True, validate=CODE)


class GuidanceIn(Schema):
    activity = fields.String(required=True, validate=CODE)
    advice = fields.String(required=True, validate=validate.OneOf(guidance.ADVICE))
    not_before = fields.Date(load_default=None, allow_none=True)


class ReferencesIn(Schema):
    patient_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list)
    patient_names = fields.List(fields.String(validate=validate.Length(min=1, max=120)), load_default=list)


class AsOfIn(Schema):
    as_of = fields.Date(load_default=None, allow_none=True)


class CheckupOut(Schema):
    id = fields.String()
    label = fields.String()
    due_on = fields.Date()
    local_start = fields.String()
    clinic_start = fields.String()
    channel = fields.String()
    video_app = fields.String(allow_none=True)
    status = fields.String()
    misses = fields.Integer()
    flagged = fields.Boolean()
    rebooked_from = fields.String(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    reason_code = fields.String(allow_none=True)
    findings = fields.Nested(FindingsIn, allow_none=True)
    concerning = fields.List(fields.String())


class ImageOut(Schema):
    id = fields.String()
    sha256 = fields.String()
    media_type = fields.String()
    size_bytes = fields.Integer()
    body_part = fields.String()
    made_where = fields.String()
    made_on = fields.Date(allow_none=True)
    checkup_id = fields.String(allow_none=True)
    uploaded_by = fields.String()
    uploaded_via = fields.String()
    uploaded_at = fields.DateTime()
    identity = fields.String()


class ReviewOut(Schema):
    id = fields.String()
    journey_id = fields.String()
    image_id = fields.String()
    due_on = fields.Date()
    status = fields.String()


class EscalationOut(Schema):
    id = fields.String()
    journey_id = fields.String()
    kind = fields.String()
    act_by = fields.Date()
    status = fields.String()
    action_code = fields.String(allow_none=True)


class GuidanceOut(Schema):
    activity = fields.String()
    advice = fields.String()
    not_before = fields.Date(allow_none=True)
    set_by = fields.String()


class AssessmentOut(Schema):
    id = fields.String()
    subject = fields.String()
    subject_id = fields.String()
    outcome = fields.String()
    escalations = fields.List(fields.Nested(EscalationOut))
