"""Tele-follow-up: check-ups, images into the patient file, assessment and escalations.

Bodies, queries and answers are the follow-up contract (shared/contracts/api/followup.py):
what the gateway loaded is dumped with the same class for the service to load again.
"""
import base64

from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ADMIN, PATIENT, SPECIALIST
from shared.contracts.api import followup as api
from shared.edge import dump
from shared.errors import TooLarge
from shared.i18n import N_

TAG = "followup"
STAFF = {SPECIALIST, ADMIN}
# The most the gateway ever reads of an upload; config FOLLOWUP.max_upload_bytes may be lower.
UPLOAD_CEILING = 20 * 1024 * 1024


def _rpc(ctx):
    return ctx.rpc("followup")


@route("GET", "/journeys/<uuid:journey_id>/followup", roles=STAFF, tag=TAG,
       summary="Read a patient's follow-up file", response=api.FollowupRecordView,
       action=N_("read a follow-up file"))
def followup_record(ctx, journey_id):
    return _rpc(ctx).get_record(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/followup/schedule", roles=STAFF | {PATIENT}, tag=TAG,
       summary="Read the check-up schedule and activity advice", response=api.FollowupScheduleView,
       action=N_("read a check-up schedule"))
def followup_schedule(ctx, journey_id):
    return _rpc(ctx).get_schedule(str(journey_id))


@route("PUT", "/journeys/<uuid:journey_id>/followup/preferences", roles=STAFF | {PATIENT}, tag=TAG,
       summary="Set the check-up channel and time zone", body=api.CheckupPreferencesForm,
       response=api.FollowupScheduleView,
       action=N_("set the check-up preferences"))
def followup_preferences(ctx, journey_id):
    return _rpc(ctx).set_preferences(str(journey_id), dump(api.CheckupPreferencesForm, ctx.body))


@route("POST", "/journeys/<uuid:journey_id>/followup/checkups/<checkup_id>/outcome", roles=SPECIALIST,
       tag=TAG, summary="Record a check-up as done, missed or cancelled", body=api.CheckupOutcomeForm,
       response=api.CheckupOutcomeView,
       action=N_("record a check-up outcome"))
def checkup_outcome(ctx, journey_id, checkup_id):
    return _rpc(ctx).record_checkup(str(journey_id), checkup_id, dump(api.CheckupOutcomeForm, ctx.body))


@route("POST", "/journeys/<uuid:journey_id>/followup/checkups/<checkup_id>/move", roles=SPECIALIST,
       tag=TAG, summary="Move a check-up still to come to another day", body=api.CheckupRescheduleForm,
       response=api.CheckupView, action=N_("move a check-up"))
def move_checkup(ctx, journey_id, checkup_id):
    return _rpc(ctx).move_checkup(str(journey_id), checkup_id, dump(api.CheckupRescheduleForm, ctx.body))


@route("POST", "/journeys/<uuid:journey_id>/followup/images", roles=STAFF | {PATIENT}, tag=TAG,
       summary="Upload an image (DICOM, JPEG, PNG or PDF) into the patient file", query=api.ImageUploadForm,
       raw_body=True, max_body=UPLOAD_CEILING, body_name="file", status=201, response=api.ImageUploadView,
       responses={413: "the file is too large", 422: "not an accepted or complete file"},
       action=N_("upload an image into a patient file"))
def upload_image(ctx, journey_id):
    """201 with the new image; 200 with the existing one when the same file was already there."""
    limit = int(ctx.config.get("FOLLOWUP", {}).get("max_upload_bytes", UPLOAD_CEILING))
    if len(ctx.body) > limit:
        raise TooLarge.of("file", limit)
    result = _rpc(ctx).upload_image(str(journey_id), base64.b64encode(ctx.body).decode("ascii"),
                                    dump(api.ImageUploadForm, ctx.query))
    return (200 if result["duplicate"] else 201), result


@route("PUT", "/journeys/<uuid:journey_id>/followup/patient-references", roles=STAFF, tag=TAG,
       summary="Set the identifiers the patient's DICOM files may carry", body=api.PatientReferencesForm,
       response=api.PatientReferencesView,
       action=N_("set the identifiers a patient's DICOM files may carry"))
def patient_references(ctx, journey_id):
    return _rpc(ctx).set_patient_references(str(journey_id), dump(api.PatientReferencesForm, ctx.body))


@route("POST", "/journeys/<uuid:journey_id>/followup/assessments", roles=SPECIALIST, tag=TAG,
       summary="Assess an image or a check-up", body=api.FollowupAssessmentForm, status=201,
       response=api.FollowupAssessmentView,
       action=N_("assess an image or a check-up"))
def assess(ctx, journey_id):
    return _rpc(ctx).assess(str(journey_id), dump(api.FollowupAssessmentForm, ctx.body))


@route("POST", "/journeys/<uuid:journey_id>/followup/escalations/<escalation_id>/resolve",
       roles=SPECIALIST, tag=TAG, summary="Record the action taken on a complication",
       body=api.EscalationResolutionForm, response=api.EscalationView,
       action=N_("record the action taken on a complication"))
def resolve_escalation(ctx, journey_id, escalation_id):
    return _rpc(ctx).resolve_escalation(str(journey_id), escalation_id,
                                        dump(api.EscalationResolutionForm, ctx.body))


@route("PUT", "/journeys/<uuid:journey_id>/followup/guidance", roles=SPECIALIST, tag=TAG,
       summary="Set the advice on one activity for this patient", body=api.ActivityGuidanceForm,
       response=api.ActivityGuidanceView,
       action=N_("set the advice on an activity"))
def set_guidance(ctx, journey_id):
    return _rpc(ctx).set_guidance(str(journey_id), dump(api.ActivityGuidanceForm, ctx.body))


@route("GET", "/followup/overdue", roles=STAFF, tag=TAG, query=api.OverdueQuery,
       summary="List overdue reviews and escalations, and flagged check-ups", response=api.OverdueView,
       action=N_("list overdue follow-up work"))
def overdue(ctx):
    result = _rpc(ctx).overdue(dump(api.OverdueQuery, ctx.query)["as_of"])
    for journey in {item["journey_id"] for key in ("reviews", "escalations", "flagged_checkups")
                    for item in result[key]}:
        ctx.log_access(journey)
    return result


@route("GET", "/journeys/<uuid:journey_id>/followup/images", roles=STAFF, tag=TAG,
       summary="List a patient's images (DICOM studies, photos, letters) with their reviews",
       response=api.ImageListView, action=N_("list the images in a patient file"))
def list_images(ctx, journey_id):
    return _rpc(ctx).list_images(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/followup/images/<image_id>", roles=STAFF, tag=TAG,
       summary="Open an image: its DICOM header fields and the identity check's result",
       response=api.ImageDetailsView, action=N_("open an image and its DICOM header"))
def image_details(ctx, journey_id, image_id):
    return _rpc(ctx).image_details(str(journey_id), image_id[:36])


@route("GET", "/journeys/<uuid:journey_id>/followup/images/<image_id>/preview", roles=STAFF, tag=TAG,
       summary="A PNG preview of an image (base64), a DICOM windowed with a preset such as bone",
       query=api.ImagePreviewQuery, response=api.ImageContentView, action=N_("see the preview of an image"))
def image_preview(ctx, journey_id, image_id):
    return _rpc(ctx).image_preview(str(journey_id), image_id[:36], ctx.query["preset"])


@route("GET", "/journeys/<uuid:journey_id>/followup/images/<image_id>/original", roles=STAFF, tag=TAG,
       summary="The image as it was received (base64)", response=api.ImageContentView,
       action=N_("read an image as it was received"))
def image_original(ctx, journey_id, image_id):
    return _rpc(ctx).image_original(str(journey_id), image_id[:36])


@route("POST", "/followup/senders", roles=ADMIN, tag=TAG, patient_param=None, status=201,
       summary="Register a radiology clinic that sends studies over DICOMweb; its token is shown once",
       body=api.ImageSenderForm, response=api.ImageSenderView, idempotent=False,
       action=N_("create the credentials of a clinic that sends studies"))
def register_sender(ctx):
    return _rpc(ctx).register_sender(dump(api.ImageSenderForm, ctx.body))


@route("DELETE", "/followup/senders/<sender_id>", roles=ADMIN, tag=TAG, patient_param=None,
       summary="Withdraw a sending clinic's credentials", response=api.ImageSenderView,
       action=N_("withdraw the credentials of a clinic that sends studies"))
def withdraw_sender(ctx, sender_id):
    return _rpc(ctx).withdraw_sender(sender_id[:36])


@route("GET", "/followup/move-requests", roles=STAFF, tag=TAG, query=api.CheckupMoveQuery,
       summary="List patients' requests to move a check-up", response=api.CheckupMoveView, many=True,
       action=N_("list requests to move a check-up"))
def checkup_move_requests(ctx):
    journey = ctx.query.get("journey_id")
    result = _rpc(ctx).checkup_move_requests(str(journey) if journey else None)
    for journey_id in {item["journey_id"] for item in result}:
        ctx.log_access(journey_id)
    return result
