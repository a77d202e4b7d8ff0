"""Enquiries: the public forms, the staff worklist and screening, and the patient's questionnaire."""
from marshmallow import Schema, fields, validate

from services.gateway.auth import issue_token
from services.gateway.roles import ADMIN, INTAKE, PATIENT, PSYCHOLOGIST, PUBLIC, SPECIALIST
from services.gateway.routing import route
from shared.config import load_config, section
from shared.contracts.enquiries import (
    AMPUTATION_LEVELS,
    AMPUTATION_SIDES,
    DECLINE_REASONS,
    KINDS,
    OUTCOMES,
    SCREENING_STEPS,
    SMOKING_STATUSES,
)

TAG = "enquiries"
READERS = {INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
SCREENERS = {INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
OVERRIDERS = {INTAKE, SPECIALIST, ADMIN}
DECIDERS = {SPECIALIST, ADMIN}
QUESTIONNAIRE = {PATIENT, INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
STATUSES = ("received", "screening", "on_hold", "waitlisted", "declined", "accepted")
_limits = section(load_config(), "ENQUIRIES", rate_limit_requests=5, rate_limit_per_seconds=60)
PUBLIC_LIMIT = (int(_limits["rate_limit_requests"]), float(_limits["rate_limit_per_seconds"]))
FORM_MAX_BODY = 64 * 1024
AGREE = validate.Equal(True, error="consent is required to handle your enquiry")
REASON = validate.Length(min=3, max=2000)
EXAMINATIONS = ("x_ray", "bone_density", "blood_tests", "other")


def strict_bool(**kwargs):
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def one_of(choices, **kwargs):
    return fields.String(validate=validate.OneOf(choices), **kwargs)


class BrochureEnquiry(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"),
                            metadata={"example": "DE"})
    preferred_language = fields.String(required=True, validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$"),
                                       metadata={"example": "en"})
    privacy_consent = strict_bool(required=True, validate=AGREE)
    marketing_consent = strict_bool(load_default=False)


class HealthEnquiry(BrochureEnquiry):
    phone = fields.String(required=True, validate=validate.Length(min=6, max=25))
    health_data_consent = strict_bool(required=True, validate=AGREE,
                                      metadata={"description": "explicit consent to process health data"})


class SuitabilityEnquiry(HealthEnquiry):
    date_of_birth = fields.Date(required=True)
    amputation_level = one_of(AMPUTATION_LEVELS, required=True)
    amputation_side = one_of(AMPUTATION_SIDES, required=True)
    years_since_amputation = fields.Integer(required=True, strict=True, validate=validate.Range(0, 110))
    prosthesis_complaints = fields.String(load_default=None, allow_none=True,
                                          validate=validate.Length(max=4000))
    smoking_status = one_of(SMOKING_STATUSES, required=True)
    smoking_stopped_on = fields.Date(load_default=None, allow_none=True)
    diabetes = strict_bool(required=True)
    circulatory_disease = strict_bool(required=True)
    other_conditions = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))
    body_weight_kg = fields.Decimal(required=True, places=1, as_string=True, validate=validate.Range(20, 350),
                                    metadata={"minimum": 20, "maximum": 350, "example": 74.5})


class SecondOpinionEnquiry(HealthEnquiry):
    prosthesis_complaints = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    amputation_level = one_of(AMPUTATION_LEVELS, load_default=None, allow_none=True)
    preferred_date = fields.Date(load_default=None, allow_none=True)


class PrescreenOutcome(Schema):
    outcome = fields.String()
    rules_fired = fields.List(fields.String())
    rule_set_version = fields.String()
    earliest_surgery_date = fields.String(allow_none=True, metadata={"format": "date"})
    overridden = fields.Boolean()
    decided_by = fields.String()


class EnquiryReceipt(Schema):
    journey_id = fields.String()
    enquiry_id = fields.String()
    kind = fields.String()
    status = fields.String()
    duplicate = fields.Boolean()
    prescreen = fields.Nested(PrescreenOutcome, allow_none=True)


class EnquiryWorklistQuery(Schema):
    status = one_of(STATUSES, load_default=None)
    kind = one_of(KINDS, load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class PrescreenOverride(Schema):
    outcome = one_of(OUTCOMES, required=True)
    reason = fields.String(required=True, validate=REASON)


class RescreenFacts(Schema):
    smoking_status = one_of(SMOKING_STATUSES, load_default=None)
    smoking_stopped_on = fields.Date(load_default=None, allow_none=True)


class ScreeningAppointment(Schema):
    step = one_of(SCREENING_STEPS, required=True)
    examination = one_of(EXAMINATIONS, load_default=None, allow_none=True)
    scheduled_at = fields.AwareDateTime(required=True)
    channel = one_of(("phone", "video", "in_person"), required=True)


class ScreeningAppointmentChange(Schema):
    status = one_of(("planned", "done", "missed", "cancelled"))
    scheduled_at = fields.AwareDateTime()
    channel = one_of(("phone", "video", "in_person"))


class StepSkip(Schema):
    reason = fields.String(required=True, validate=REASON)


class ScreeningDecision(Schema):
    decision = one_of(("accepted", "declined"), required=True)
    reasons = fields.List(one_of(DECLINE_REASONS), load_default=list)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000),
                         metadata={"description": "kept in the enquiry only, never announced"})


class QuestionnaireAnswers(Schema):
    answers = fields.Dict(keys=fields.String(), required=True,
                          metadata={"description": "question id → answer; null clears a saved answer"})


def _rpc(ctx):
    return ctx.rpc("enquiries")


def _submit(ctx, kind: str, form: type[Schema]):
    result = _rpc(ctx).submit_enquiry(kind, form().dump(ctx.body))
    return (200 if result["duplicate"] else 201), result


def public_form(path: str, form: type[Schema], summary: str):
    return route("POST", path, roles=PUBLIC, tag=TAG, summary=summary, body=form, response=EnquiryReceipt,
                 status=201, max_body=FORM_MAX_BODY, rate_limit=PUBLIC_LIMIT,
                 responses={413: "The form is too large", 429: "Too many forms from this address"})


@public_form("/enquiries/suitability", SuitabilityEnquiry,
             "Ask whether osseointegration suits you (starts a journey, answers the pre-screen)")
def submit_suitability(ctx):
    return _submit(ctx, "suitability", SuitabilityEnquiry)


@public_form("/enquiries/brochure", BrochureEnquiry, "Request the information folder")
def submit_brochure(ctx):
    return _submit(ctx, "brochure", BrochureEnquiry)


@public_form("/enquiries/second-opinion", SecondOpinionEnquiry,
             "Ask for a free second opinion on a painful socket prosthesis")
def submit_second_opinion(ctx):
    return _submit(ctx, "second_opinion", SecondOpinionEnquiry)


@route("GET", "/enquiries", roles=READERS, tag=TAG, query=EnquiryWorklistQuery,
       summary="List enquiries by status (the worklist)")
def enquiry_worklist(ctx):
    page = _rpc(ctx).worklist({k: v for k, v in ctx.query.items() if v is not None})
    for item in page["items"]:
        ctx.log_access(item["journey_id"])
    return page


JOURNEY = "/enquiries/<uuid:journey_id>"


@route("GET", JOURNEY, roles=READERS, tag=TAG, summary="Read one enquiry in full")
def enquiry_detail(ctx, journey_id):
    return _rpc(ctx).get_enquiry(str(journey_id))


@route("POST", JOURNEY + "/prescreen/override", roles=OVERRIDERS, tag=TAG, body=PrescreenOverride,
       response=PrescreenOutcome, status=201, summary="Override the pre-screen outcome, with a reason")
def override_prescreen(ctx, journey_id):
    return _rpc(ctx).override_prescreen(str(journey_id), PrescreenOverride().dump(ctx.body))


@route("POST", JOURNEY + "/prescreen/rescreen", roles=OVERRIDERS, tag=TAG, body=RescreenFacts,
       response=PrescreenOutcome, status=201, summary="Pre-screen again (e.g. a smoker who has stopped)")
def rescreen(ctx, journey_id):
    return _rpc(ctx).rescreen(str(journey_id), RescreenFacts().dump(ctx.body))


@route("POST", JOURNEY + "/appointments", roles=SCREENERS, tag=TAG, body=ScreeningAppointment, status=201,
       summary="Plan a screening appointment")
def plan_appointment(ctx, journey_id):
    return _rpc(ctx).plan_appointment(str(journey_id), ScreeningAppointment().dump(ctx.body))


@route("PATCH", JOURNEY + "/appointments/<int:appointment_id>", roles=SCREENERS, tag=TAG,
       body=ScreeningAppointmentChange, summary="Move an appointment or record how it went")
def change_appointment(ctx, journey_id, appointment_id):
    change = ScreeningAppointmentChange().dump(ctx.body)
    return _rpc(ctx).change_appointment(str(journey_id), appointment_id, change)


@route("POST", JOURNEY + "/steps/<string:step>/complete", roles=SCREENERS, tag=TAG, status=201,
       summary="Complete a screening step done outside an appointment")
def complete_step(ctx, journey_id, step):
    return _rpc(ctx).complete_step(str(journey_id), step)


@route("POST", JOURNEY + "/steps/<string:step>/skip", roles=SCREENERS, tag=TAG, body=StepSkip, status=201,
       summary="Skip a screening step, with a reason")
def skip_step(ctx, journey_id, step):
    return _rpc(ctx).skip_step(str(journey_id), step, ctx.body)


@route("POST", JOURNEY + "/decision", roles=DECIDERS, tag=TAG, body=ScreeningDecision, status=201,
       summary="Accept or decline the patient after screening")
def decide(ctx, journey_id):
    return _rpc(ctx).decide(str(journey_id), ctx.body)


@route("POST", JOURNEY + "/questionnaire/link", roles=OVERRIDERS, tag=TAG, status=201,
       summary="Open the questionnaire and issue the patient's personal, expiring link to it")
def questionnaire_link(ctx, journey_id):
    _rpc(ctx).open_questionnaire(str(journey_id))
    days = section(ctx.config, "ENQUIRIES", questionnaire_link_valid_days=14)["questionnaire_link_valid_days"]
    ttl = int(days) * 86400
    token = issue_token(ctx.config["AUTH"]["token_secret"], f"patient:{journey_id}", PATIENT, ttl,
                        journey_id=str(journey_id))
    return {"token": token, "expires_in": ttl, "path": f"/api/enquiries/{journey_id}/questionnaire"}


@route("GET", JOURNEY + "/questionnaire", roles=QUESTIONNAIRE, tag=TAG,
       summary="Read the questionnaire and the answers saved so far")
def show_questionnaire(ctx, journey_id):
    return _rpc(ctx).show_questionnaire(str(journey_id))


@route("PUT", JOURNEY + "/questionnaire", roles=QUESTIONNAIRE, tag=TAG, body=QuestionnaireAnswers,
       summary="Save some answers (partial saves are kept and can be resumed)")
def save_answers(ctx, journey_id):
    return _rpc(ctx).save_answers(str(journey_id), ctx.body)


@route("POST", JOURNEY + "/questionnaire/submit", roles=QUESTIONNAIRE, tag=TAG, status=201,
       summary="Submit the questionnaire (every required question answered)")
def submit_questionnaire(ctx, journey_id):
    return _rpc(ctx).submit_questionnaire(str(journey_id))
