"""Tele-follow-up: check-ups, images into the patient file, assessment and escalations."""
import base64

from marshmallow import Schema, fields, validate
from werkzeug.exceptions import RequestEntityTooLarge

from services.gateway.roles import ADMIN, PATIENT, SPECIALIST
from services.gateway.routing import route

TAG = "followup"
STAFF = {SPECIALIST, ADMIN}
# The most the gateway ever reads of an upload; config FOLLOWUP.max_upload_bytes may be lower.
UPLOAD_CEILING = 20 * 1024 * 1024
CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$")


class Preferences(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(("video", "telephone")))
    video_app = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(("facetime", "skype")))
    time_zone = fields.String(load_default=None, allow_none=True, metadata={"example": "Europe/Oslo"})


class Findings(Schema):
    stoma_condition = fields.String(required=True, metadata={"enum": ["calm", "irritated", "discharging",
                                                                       "overgranulation"]})
    pain_score = fields.Integer(required=True, strict=True, validate=validate.Range(0, 10))
    infection_signs = fields.Boolean(required=True)
    activity_level = fields.String(required=True, metadata={"enum": ["low", "moderate", "high"]})
    implant_stability = fields.String(required=True, metadata={"enum": ["stable", "uncertain", "loose"]})


class CheckupOutcome(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(("done", "missed", "cancelled")))
    findings = fields.Nested(Findings, load_default=None, allow_none=True)
    reason_code = fields.String(load_default=None, allow_none=True, validate=CODE)
    completed_on = fields.String(load_default=None, allow_none=True, metadata={"format": "date"})


class UploadQuery(Schema):
    body_part = fields.String(required=True, validate=CODE, metadata={"example": "left_femur"})
    made_where = fields.String(required=True, validate=validate.Length(min=2, max=120),
                               metadata={"description": "where the image was made (hospital, town, country)"})
    made_on = fields.String(load_default=None, metadata={"format": "date"})
    checkup_id = fields.String(load_default=None)


class Assessment(Schema):
    subject = fields.String(required=True, validate=validate.OneOf(("image", "checkup")))
    subject_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("fine", "watch", "concern")))
    concerns = fields.List(fields.String(validate=validate.OneOf((
        "infection", "bone_inflammation", "loosening", "fracture", "stoma_irritation"))), load_default=list)


class Resolve(Schema):
    action_code = fields.String(required=True, validate=CODE, metadata={"example": "antibiotics_started"})


class Advice(Schema):
    activity = fields.String(required=True, validate=CODE)
    advice = fields.String(required=True, validate=validate.OneOf(("allowed", "discouraged", "not_before")))
    not_before = fields.String(load_default=None, allow_none=True, metadata={"format": "date"})


class References(Schema):
    patient_ids = fields.List(fields.String(), load_default=list)
    patient_names = fields.List(fields.String(), load_default=list)


class AsOf(Schema):
    as_of = fields.Date(load_default=None)


def _rpc(ctx):
    return ctx.rpc("followup")


@route("GET", "/journeys/<uuid:journey_id>/followup", roles=STAFF, tag=TAG,
       summary="Read a patient's follow-up file")
def followup_record(ctx, journey_id):
    return _rpc(ctx).get_record(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/followup/schedule", roles=STAFF | {PATIENT}, tag=TAG,
       summary="Read the check-up schedule and activity advice")
def followup_schedule(ctx, journey_id):
    return _rpc(ctx).get_schedule(str(journey_id))


@route("PUT", "/journeys/<uuid:journey_id>/followup/preferences", roles=STAFF | {PATIENT}, tag=TAG,
       summary="Set the check-up channel and time zone", body=Preferences)
def followup_preferences(ctx, journey_id):
    return _rpc(ctx).set_preferences(str(journey_id), ctx.body)


@route("POST", "/journeys/<uuid:journey_id>/followup/checkups/<checkup_id>/outcome", roles=SPECIALIST,
       tag=TAG, summary="Record a check-up as done, missed or cancelled", body=CheckupOutcome)
def checkup_outcome(ctx, journey_id, checkup_id):
    return _rpc(ctx).record_checkup(str(journey_id), checkup_id, ctx.body)


@route("POST", "/journeys/<uuid:journey_id>/followup/images", roles=STAFF | {PATIENT}, tag=TAG,
       summary="Upload an image (DICOM, JPEG, PNG or PDF) into the patient file", query=UploadQuery,
       raw_body=True, max_body=UPLOAD_CEILING, status=201,
       responses={413: "the file is too large", 422: "not an accepted or complete file"})
def upload_image(ctx, journey_id):
    """201 with the new image; 200 with the existing one when the same file was already there."""
    limit = int(ctx.config.get("FOLLOWUP", {}).get("max_upload_bytes", UPLOAD_CEILING))
    if len(ctx.body) > limit:
        raise RequestEntityTooLarge(f"the file is larger than the limit of {limit} bytes")
    result = _rpc(ctx).upload_image(str(journey_id), base64.b64encode(ctx.body).decode("ascii"),
                                    UploadQuery().dump(ctx.query))
    return (200 if result["duplicate"] else 201), result


@route("PUT", "/journeys/<uuid:journey_id>/followup/patient-references", roles=STAFF, tag=TAG,
       summary="Set the identifiers the patient's DICOM files may carry", body=References)
def patient_references(ctx, journey_id):
    return _rpc(ctx).set_patient_references(str(journey_id), ctx.body)


@route("POST", "/journeys/<uuid:journey_id>/followup/assessments", roles=SPECIALIST, tag=TAG,
       summary="Assess an image or a check-up", body=Assessment, status=201)
def assess(ctx, journey_id):
    return _rpc(ctx).assess(str(journey_id), ctx.body)


@route("POST", "/journeys/<uuid:journey_id>/followup/escalations/<escalation_id>/resolve",
       roles=SPECIALIST, tag=TAG, summary="Record the action taken on a complication", body=Resolve)
def resolve_escalation(ctx, journey_id, escalation_id):
    return _rpc(ctx).resolve_escalation(str(journey_id), escalation_id, ctx.body)


@route("PUT", "/journeys/<uuid:journey_id>/followup/guidance", roles=SPECIALIST, tag=TAG,
       summary="Set the advice on one activity for this patient", body=Advice)
def set_guidance(ctx, journey_id):
    return _rpc(ctx).set_guidance(str(journey_id), ctx.body)


@route("GET", "/followup/overdue", roles=STAFF, tag=TAG, query=AsOf,
       summary="List overdue reviews and escalations, and flagged check-ups")
def overdue(ctx):
    as_of = ctx.query["as_of"]
    result = _rpc(ctx).overdue(as_of.isoformat() if as_of else None)
    for journey in {item["journey_id"] for key in ("reviews", "escalations", "flagged_checkups")
                    for item in result[key]}:
        ctx.log_access(journey)
    return result
