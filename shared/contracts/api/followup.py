"""The follow-up API: request forms and response views, used by the service and the gateway alike.

The choices below are the wire contract; the service's domain holds the same
vocabularies (a unit test of the service checks that they agree).
"""
import zoneinfo

from marshmallow import Schema, ValidationError, fields, validate

CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error="lower-case letters, digits and _")

CHANNELS = ("video", "telephone")
VIDEO_APPS = ("facetime", "skype")
CHECKUP_OUTCOMES = ("done", "missed", "cancelled")
STOMA_CONDITIONS = ("calm", "irritated", "discharging", "overgranulation")
ACTIVITY_LEVELS = ("low", "moderate", "high")
IMPLANT_STABILITY = ("stable", "uncertain", "loose")
SUBJECTS = ("image", "checkup")
ASSESSMENT_OUTCOMES = ("fine", "watch", "concern")
COMPLICATIONS = ("infection", "bone_inflammation", "loosening", "fracture", "stoma_irritation", "pain")
ADVICE = ("allowed", "discouraged", "not_before")


def iana_zone(value: str | None) -> None:
    """A time zone of the IANA database by its full name ("Europe" alone is a folder, not a zone)."""
    if value is not None and value not in zoneinfo.available_timezones():
        raise ValidationError("not a time zone; give its IANA name, e.g. Europe/Oslo")


# Requests

class CheckupPreferencesForm(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    video_app = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(VIDEO_APPS))
    time_zone = fields.String(load_default=None, allow_none=True,
                              validate=[validate.Length(max=60), iana_zone],
                              metadata={"example": "Europe/Oslo"})


class CheckupFindings(Schema):
    stoma_condition = fields.String(required=True, validate=validate.OneOf(STOMA_CONDITIONS))
    pain_score = fields.Integer(required=True, strict=True, validate=validate.Range(0, 10))
    infection_signs = fields.Boolean(required=True)
    activity_level = fields.String(required=True, validate=validate.OneOf(ACTIVITY_LEVELS))
    implant_stability = fields.String(required=True, validate=validate.OneOf(IMPLANT_STABILITY))


class CheckupOutcomeForm(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(CHECKUP_OUTCOMES))
    findings = fields.Nested(CheckupFindings, load_default=None, allow_none=True)
    reason_code = fields.String(load_default=None, allow_none=True, validate=CODE)
    completed_on = fields.Date(load_default=None, allow_none=True)


class ImageUploadForm(Schema):
    """What comes with an uploaded file (the gateway's query string, the RPC's `meta`)."""
    body_part = fields.String(required=True, validate=CODE, metadata={"example": "left_femur"})
    made_where = fields.String(required=True, validate=validate.Length(min=2, max=120),
                               metadata={"description": "where the image was made (hospital, town, country)"})
    made_on = fields.Date(load_default=None, allow_none=True)
    checkup_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))


class FollowupAssessmentForm(Schema):
    subject = fields.String(required=True, validate=validate.OneOf(SUBJECTS))
    subject_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    outcome = fields.String(required=True, validate=validate.OneOf(ASSESSMENT_OUTCOMES))
    concerns = fields.List(fields.String(validate=validate.OneOf(COMPLICATIONS)), load_default=list)


class EscalationResolutionForm(Schema):
    action_code = fields.String(required=True, validate=CODE, metadata={"example": "antibiotics_started"})


class ActivityGuidanceForm(Schema):
    activity = fields.String(required=True, validate=CODE)
    advice = fields.String(required=True, validate=validate.OneOf(ADVICE))
    not_before = fields.Date(load_default=None, allow_none=True)


class PatientReferencesForm(Schema):
    patient_ids = fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list)
    patient_names = fields.List(fields.String(validate=validate.Length(min=1, max=120)), load_default=list)


class ImagePreviewQuery(Schema):
    preset = fields.String(load_default="default",
                           validate=validate.OneOf(("default", "bone", "bone_detail", "full")),
                           metadata={"description": "window/level: the file's own, bone, bone detail, all"})


class ImageSenderForm(Schema):
    institution = fields.String(required=True, validate=validate.Length(min=2, max=120),
                                metadata={"example": "Haukeland radiology, Bergen, NO"})


class OverdueQuery(Schema):
    as_of = fields.Date(load_default=None, allow_none=True)


# Responses

class CheckupView(Schema):
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
    findings = fields.Nested(CheckupFindings, allow_none=True)
    concerning = fields.List(fields.String())
    focus_body_part = fields.String(allow_none=True)      # a "watch": what this check-up looks at again
    focus_image_id = fields.String(allow_none=True)


class CheckupOutcomeView(Schema):
    checkup = fields.Nested(CheckupView)
    rebooked = fields.Nested(CheckupView, allow_none=True)   # the next attempt after a miss


class FollowupImageView(Schema):
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


class ImageUploadView(Schema):
    image = fields.Nested(FollowupImageView)
    duplicate = fields.Boolean()      # the same file was already in the patient file


class ImageReviewView(Schema):
    id = fields.String()
    journey_id = fields.String()
    image_id = fields.String()
    due_on = fields.Date()
    status = fields.String()


class EscalationView(Schema):
    id = fields.String()
    journey_id = fields.String()
    kind = fields.String()
    act_by = fields.Date()
    status = fields.String()
    action_code = fields.String(allow_none=True)


class ActivityGuidanceView(Schema):
    activity = fields.String()
    advice = fields.String()
    not_before = fields.Date(allow_none=True)
    set_by = fields.String()


class FollowupAssessmentView(Schema):
    id = fields.String()
    subject = fields.String()
    subject_id = fields.String()
    outcome = fields.String()
    escalations = fields.List(fields.Nested(EscalationView))


class CheckupPreferencesView(Schema):
    channel = fields.String()
    video_app = fields.String(allow_none=True)
    time_zone = fields.String(allow_none=True)


class FollowupScheduleView(Schema):
    journey_id = fields.String()
    preferences = fields.Nested(CheckupPreferencesView)
    checkups = fields.List(fields.Nested(CheckupView))
    guidance = fields.List(fields.Nested(ActivityGuidanceView))


class FollowupPlanView(Schema):
    id = fields.String()
    surgery_date = fields.Date()
    time_zone = fields.String()
    time_zone_assumed = fields.Boolean()


class FollowupRecordView(FollowupScheduleView):
    plan = fields.Nested(FollowupPlanView, allow_none=True)
    images = fields.List(fields.Nested(FollowupImageView))
    reviews = fields.List(fields.Nested(ImageReviewView))
    escalations = fields.List(fields.Nested(EscalationView))


class PatientReferencesView(Schema):
    patient_ids = fields.Integer()
    patient_names = fields.Integer()


class FlaggedCheckupView(Schema):
    id = fields.String()
    journey_id = fields.String()
    label = fields.String()
    due_on = fields.Date()
    misses = fields.Integer()


class OverdueView(Schema):
    as_of = fields.Date()
    reviews = fields.List(fields.Nested(ImageReviewView))
    escalations = fields.List(fields.Nested(EscalationView))
    flagged_checkups = fields.List(fields.Nested(FlaggedCheckupView))


class ImageSummaryView(FollowupImageView):
    review_status = fields.String(allow_none=True)       # open | done
    review_due = fields.Date(allow_none=True)
    outcome = fields.String(allow_none=True)             # the latest assessment: fine | watch | concern
    stored_in = fields.String()                          # files | orthanc


class ImageListView(Schema):
    journey_id = fields.String()
    accession_number = fields.String(metadata={"description": "for a radiology clinic's studies of "
                                                              "this patient (DICOM AccessionNumber)"})
    images = fields.List(fields.Nested(ImageSummaryView))


class DicomHeaderView(Schema):
    patient_id = fields.String(allow_none=True)
    patient_name = fields.String(allow_none=True)
    study_date = fields.String(allow_none=True)
    modality = fields.String(allow_none=True)
    body_part = fields.String(allow_none=True)
    institution = fields.String(allow_none=True)
    accession_number = fields.String(allow_none=True)
    study_description = fields.String(allow_none=True)


class ImageAssessmentView(Schema):
    id = fields.String()
    outcome = fields.String()
    assessed_by = fields.String()
    assessed_at = fields.DateTime()


class ImageDetailsView(ImageSummaryView):
    header = fields.Nested(DicomHeaderView, allow_none=True)   # DICOM only
    assessments = fields.List(fields.Nested(ImageAssessmentView))
    presets = fields.List(fields.String())


class ImageContentView(Schema):
    media_type = fields.String()
    filename = fields.String(load_default=None)
    content_b64 = fields.String()


class ImageSenderView(Schema):
    id = fields.String()
    institution = fields.String()
    token = fields.String(load_default=None, metadata={"description": "shown once, at registration"})
    registered_at = fields.DateTime()


class StoredInstanceView(Schema):
    sop_instance_uid = fields.String(allow_none=True)
    journey_id = fields.String()
    image_id = fields.String()
    duplicate = fields.Boolean()


class FailedInstanceView(Schema):
    sop_instance_uid = fields.String(allow_none=True)
    reason = fields.String()


class StudiesReceivedView(Schema):
    sender_id = fields.String()
    stored = fields.List(fields.Nested(StoredInstanceView))
    failed = fields.List(fields.Nested(FailedInstanceView))


# The patient's own: a problem reported from home, and the images they sent.
PROBLEMS = ("stoma_irritation", "pain", "infection_signs", "fall")
SYMPTOMS = ("fever", "discharge", "spreading_redness", "bleeding", "cannot_bear_weight", "implant_moves")


class ProblemReportForm(Schema):
    problem = fields.String(required=True, validate=validate.OneOf(PROBLEMS))
    symptoms = fields.List(fields.String(validate=validate.OneOf(SYMPTOMS)), load_default=list,
                           validate=validate.Length(max=len(SYMPTOMS)))
    pain_score = fields.Integer(load_default=None, allow_none=True, strict=True,
                                validate=validate.Range(0, 10))
    started_on = fields.Date(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ProblemReportView(Schema):
    id = fields.String()
    problem = fields.String()
    symptoms = fields.List(fields.String())
    pain_score = fields.Integer(allow_none=True)
    started_on = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    urgent = fields.Boolean()
    advice = fields.String(metadata={"description": "call_clinic_now | see_doctor_now | clinic_will_contact"})
    reasons = fields.List(fields.String(), load_default=list)   # why it is urgent (when just reported)
    reported_at = fields.DateTime()
    escalation = fields.Nested(EscalationView)


class ProblemReportListView(Schema):
    journey_id = fields.String()
    reports = fields.List(fields.Nested(ProblemReportView))


class SentImageView(Schema):
    id = fields.String()
    media_type = fields.String()
    size_bytes = fields.Integer()
    body_part = fields.String()
    made_on = fields.Date(allow_none=True)
    uploaded_at = fields.DateTime()
    uploaded_via = fields.String()
    reviewed = fields.Boolean()
    reviewed_at = fields.DateTime(allow_none=True)


class SentImagesView(Schema):
    journey_id = fields.String()
    max_upload_bytes = fields.Integer()
    images = fields.List(fields.Nested(SentImageView))


class CheckupMoveForm(Schema):
    """A patient asks to move a check-up still to come."""
    reason = fields.String(required=True, validate=validate.OneOf(
        ("not_available", "travelling", "unwell", "other")))
    preferred = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "when would suit better, in the patient's words"})


# Why the staff moved a check-up: the patient asked, the specialist is away, or a clinical reason.
STAFF_MOVE_REASONS = ("patient_request", "specialist_unavailable", "clinical_reason", "other")


class CheckupRescheduleForm(Schema):
    """Staff move a check-up still to come to another day."""
    due_on = fields.Date(required=True, metadata={"description": "the new day (today or later)"})
    reason = fields.String(required=True, validate=validate.OneOf(STAFF_MOVE_REASONS))


class CheckupMoveView(Schema):
    id = fields.String()
    journey_id = fields.String()
    checkup_id = fields.String()
    label = fields.String()
    due_on = fields.Date()
    reason = fields.String()
    preferred = fields.String(allow_none=True)
    requested_at = fields.DateTime()


class CheckupMoveQuery(Schema):
    journey_id = fields.UUID(load_default=None)
