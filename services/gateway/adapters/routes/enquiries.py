"""Enquiries: the public forms, the staff worklist and screening, and the patient's questionnaire.

Every body is checked here against the enquiries contract (shared/contracts/api/enquiries)
and forwarded as the client sent it: the service loads it with the same class.
"""
import json

from services.gateway.adapters.routing import route
from services.gateway.domain.credentials import QUESTIONNAIRE_SCOPE
from services.gateway.domain.roles import ADMIN, INTAKE, PATIENT, PSYCHOLOGIST, PUBLIC, SPECIALIST
from services.gateway.handlers import patient_links
from shared.config import section
from shared.contracts.api.enquiries import commands, consents, forms, views
from shared.edge import dump
from shared.errors import Conflict
from shared.i18n import N_

TAG = "enquiries"
READERS = {INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
SCREENERS = {INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
OVERRIDERS = {INTAKE, SPECIALIST, ADMIN}
DECIDERS = {SPECIALIST, ADMIN}
QUESTIONNAIRE = {PATIENT, INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
# The second opinion: coordinators book it; the partner clinic's report (how it went, the outcome)
# is recorded by a coordinator or the specialist. The health questions it did not ask are
# answered by a coordinator (on the phone) or the person through their own link.
SECOND_OPINION_BOOKERS = {INTAKE, ADMIN}
SECOND_OPINION_RECORDERS = {INTAKE, SPECIALIST, ADMIN}
HEALTH_QUESTIONS = {PATIENT, INTAKE, ADMIN}
# Consents: read by those who read the enquiry and by the patient; withdrawn by the patient (their
# own link: the portal's door) or by a coordinator or administrator the patient told.
CONSENTS = {PATIENT, INTAKE, PSYCHOLOGIST, SPECIALIST, ADMIN}
CONSENT_WITHDRAWERS = {PATIENT, INTAKE, ADMIN}
FORM_MAX_BODY = 64 * 1024


def public_limit(config: dict) -> tuple[int, float]:
    """How many forms one client address may send, per how many seconds (ENQUIRIES section)."""
    limits = section(config, "ENQUIRIES", rate_limit_requests=5, rate_limit_per_seconds=60)
    return int(limits["rate_limit_requests"]), float(limits["rate_limit_per_seconds"])


# The route table takes a fixed limit, applied before the form is read; until it can take
# one from the gateway's own config, it is read from config.yaml when the routes load.


def _rpc(ctx):
    return ctx.rpc("enquiries")


def _sent(ctx) -> dict:
    """The JSON object the client sent (already checked against the route's body class)."""
    return json.loads(ctx.request.get_data(cache=True))


def _submit(ctx, kind: str):
    result = _rpc(ctx).submit_enquiry(kind, _sent(ctx))
    return (200 if result["duplicate"] else 201), result


def public_form(path: str, kind: str, summary: str):
    return route("POST", path, roles=PUBLIC, tag=TAG, summary=summary, body=forms.ENQUIRY_FORMS[kind],
                 response=views.EnquiryReceipt, status=201, max_body=FORM_MAX_BODY, rate_limit=public_limit,
                 responses={200: "The same form arrived moments ago: its journey, not a new one",
                            413: "The form is too large", 429: "Too many forms from this address"})


@public_form("/enquiries/suitability", "suitability",
             "Ask whether osseointegration suits you (starts a journey, answers the pre-screen)")
def submit_suitability(ctx):
    return _submit(ctx, "suitability")


@public_form("/enquiries/brochure", "brochure", "Request the information folder")
def submit_brochure(ctx):
    return _submit(ctx, "brochure")


@public_form("/enquiries/second-opinion", "second_opinion",
             "Ask for a free second opinion on a painful socket prosthesis")
def submit_second_opinion(ctx):
    return _submit(ctx, "second_opinion")


@route("GET", "/enquiries", roles=READERS, tag=TAG, query=commands.EnquiryWorklistQuery,
       summary="List enquiries by status (the worklist)",
       action=N_("list enquiries"))
def enquiry_worklist(ctx):
    page = _rpc(ctx).worklist({k: v for k, v in ctx.query.items() if v is not None})
    for item in page["items"]:
        ctx.log_access(item["journey_id"])
    return page


JOURNEY = "/enquiries/<uuid:journey_id>"


@route("GET", JOURNEY, roles=READERS, tag=TAG, summary="Read one enquiry in full",
       action=N_("read an enquiry"))
def enquiry_detail(ctx, journey_id):
    return _rpc(ctx).get_enquiry(str(journey_id))


@route("POST", JOURNEY + "/prescreen/override", roles=OVERRIDERS, tag=TAG, body=commands.PrescreenOverride,
       response=views.PrescreenOutcome, status=201, summary="Override the pre-screen outcome, with a reason",
       action=N_("override a pre-screen outcome"))
def override_prescreen(ctx, journey_id):
    return _rpc(ctx).override_prescreen(str(journey_id), _sent(ctx))


@route("POST", JOURNEY + "/prescreen/rescreen", roles=OVERRIDERS, tag=TAG, body=commands.RescreenFacts,
       response=views.PrescreenOutcome, status=201,
       summary="Pre-screen again (e.g. a smoker who has stopped)",
       action=N_("pre-screen an enquiry again"))
def rescreen(ctx, journey_id):
    return _rpc(ctx).rescreen(str(journey_id), _sent(ctx))


@route("POST", JOURNEY + "/appointments", roles=SCREENERS, tag=TAG, body=commands.ScreeningAppointment,
       status=201, summary="Plan a screening appointment",
       action=N_("plan a screening appointment"))
def plan_appointment(ctx, journey_id):
    return _rpc(ctx).plan_appointment(str(journey_id), _sent(ctx))


@route("PATCH", JOURNEY + "/appointments/<int:appointment_id>", roles=SCREENERS, tag=TAG,
       body=commands.ScreeningAppointmentChange, summary="Move an appointment or record how it went",
       action=N_("change a screening appointment"))
def change_appointment(ctx, journey_id, appointment_id):
    return _rpc(ctx).change_appointment(str(journey_id), appointment_id, _sent(ctx))


@route("POST", JOURNEY + "/steps/<string:step>/complete", roles=SCREENERS, tag=TAG, status=201,
       summary="Complete a screening step done outside an appointment",
       action=N_("complete a screening step"))
def complete_step(ctx, journey_id, step):
    return _rpc(ctx).complete_step(str(journey_id), step)


@route("POST", JOURNEY + "/steps/<string:step>/skip", roles=SCREENERS, tag=TAG, body=commands.StepSkip,
       status=201, summary="Skip a screening step, with a reason",
       action=N_("skip a screening step"))
def skip_step(ctx, journey_id, step):
    return _rpc(ctx).skip_step(str(journey_id), step, _sent(ctx))


@route("POST", JOURNEY + "/decision", roles=DECIDERS, tag=TAG, body=commands.ScreeningDecision, status=201,
       summary="Accept or decline the patient after screening",
       action=N_("accept or decline a patient"))
def decide(ctx, journey_id):
    return _rpc(ctx).decide(str(journey_id), _sent(ctx))


@route("POST", JOURNEY + "/questionnaire/link", roles=OVERRIDERS, tag=TAG, status=201, idempotent=False,
       summary="Open the questionnaire and issue the patient's personal, expiring link to it",
       action=N_("issue a questionnaire link"))
def questionnaire_link(ctx, journey_id):
    _rpc(ctx).open_questionnaire(str(journey_id))
    days = section(ctx.config, "ENQUIRIES", questionnaire_link_valid_days=14)["questionnaire_link_valid_days"]
    # A link for the questionnaire only: it opens nothing else of the journey.
    link = patient_links.issue_link(ctx.service.uow, ctx.config["AUTH"]["token_secret"], str(journey_id),
                                    ctx.principal.subject, int(days) * 86400, scope=QUESTIONNAIRE_SCOPE)
    return dict(link, path=f"/api/enquiries/{journey_id}/questionnaire")


@route("GET", JOURNEY + "/questionnaire", roles=QUESTIONNAIRE, tag=TAG, patient_scope=QUESTIONNAIRE_SCOPE,
       summary="Read the questionnaire and the answers saved so far",
       action=N_("read a questionnaire"))
def show_questionnaire(ctx, journey_id):
    return _rpc(ctx).show_questionnaire(str(journey_id))


@route("PUT", JOURNEY + "/questionnaire", roles=QUESTIONNAIRE, tag=TAG, patient_scope=QUESTIONNAIRE_SCOPE,
       body=commands.QuestionnaireAnswers,
       summary="Save some answers (partial saves are kept and can be resumed)",
       action=N_("save questionnaire answers"))
def save_answers(ctx, journey_id):
    return _rpc(ctx).save_answers(str(journey_id), _sent(ctx))


@route("POST", JOURNEY + "/questionnaire/submit", roles=QUESTIONNAIRE, tag=TAG, status=201,
       patient_scope=QUESTIONNAIRE_SCOPE,
       summary="Submit the questionnaire (every required question answered)",
       action=N_("submit a questionnaire"))
def submit_questionnaire(ctx, journey_id):
    return _rpc(ctx).submit_questionnaire(str(journey_id))


SECOND_OPINION = JOURNEY + "/second-opinion"


@route("POST", SECOND_OPINION + "/appointments", roles=SECOND_OPINION_BOOKERS, tag=TAG,
       body=commands.SecondOpinionBooking, response=views.SecondOpinionView, status=201,
       summary="Book the second-opinion appointment at the partner clinic (again, after a missed one)",
       action=N_("book a second-opinion appointment"))
def book_second_opinion(ctx, journey_id):
    return _rpc(ctx).book_second_opinion(str(journey_id), _sent(ctx))


@route("PATCH", SECOND_OPINION + "/appointments/<int:appointment_id>", roles=SECOND_OPINION_RECORDERS,
       tag=TAG, body=commands.SecondOpinionAppointmentChange, response=views.SecondOpinionView,
       summary="Record that a second-opinion appointment was held or missed, or move it",
       action=N_("record or move a second-opinion appointment"))
def change_second_opinion_appointment(ctx, journey_id, appointment_id):
    return _rpc(ctx).change_second_opinion_appointment(str(journey_id), appointment_id, _sent(ctx))


@route("POST", SECOND_OPINION + "/conclusion", roles=SECOND_OPINION_RECORDERS, tag=TAG,
       body=commands.SecondOpinionConclusion, response=views.SecondOpinionView, status=201,
       summary="Conclude the second opinion with its outcome (advised_to_enquire opens a suitability "
               "enquiry for the same person)",
       action=N_("conclude a second opinion"))
def conclude_second_opinion(ctx, journey_id):
    return _rpc(ctx).conclude_second_opinion(str(journey_id), _sent(ctx))


@route("PUT", JOURNEY + "/health-questions", roles=HEALTH_QUESTIONS, tag=TAG,
       patient_scope=QUESTIONNAIRE_SCOPE, body=commands.HealthAnswers, response=views.PrescreenOutcome,
       summary="Answer the health questions a second opinion did not ask; the pre-screen follows",
       action=N_("answer the health questions"))
def answer_health_questions(ctx, journey_id):
    return _rpc(ctx).answer_health_questions(str(journey_id), _sent(ctx))


@route("POST", JOURNEY + "/health-questions/link", roles=SECOND_OPINION_BOOKERS, tag=TAG, status=201,
       idempotent=False, summary="Issue the person's personal, expiring link to the health questions",
       action=N_("issue a health questions link"))
def health_questions_link(ctx, journey_id):
    if _rpc(ctx).get_enquiry(str(journey_id)).get("health_questions_unanswered") is None:
        raise Conflict("this enquiry is not waiting for health questions")
    days = section(ctx.config, "ENQUIRIES", questionnaire_link_valid_days=14)["questionnaire_link_valid_days"]
    link = patient_links.issue_link(ctx.service.uow, ctx.config["AUTH"]["token_secret"], str(journey_id),
                                    ctx.principal.subject, int(days) * 86400, scope=QUESTIONNAIRE_SCOPE)
    return dict(link, path=f"/api/enquiries/{journey_id}/health-questions")


@route("GET", "/journeys/<uuid:journey_id>/consents", roles=CONSENTS, tag=TAG, response=consents.ConsentView,
       many=True, summary="The consents given: text version and language, when, which form, withdrawn",
       action=N_("read a patient's consents"))
def consents_of(ctx, journey_id):
    return ctx.rpc("enquiries").consents(str(journey_id))


@route("POST", "/journeys/<uuid:journey_id>/consents/withdrawal", roles=CONSENT_WITHDRAWERS, tag=TAG,
       body=consents.ConsentWithdrawalForm, response=consents.ConsentView,
       summary="Withdraw a consent: health data stops the journey in every stage, marketing its mail",
       action=N_("withdraw a patient's consent"))
def withdraw_consent(ctx, journey_id):
    asked = dump(consents.ConsentWithdrawalForm, ctx.body)
    channel = "patient_portal" if ctx.principal.role == PATIENT else "staff"
    return ctx.rpc("enquiries").withdraw_consent(str(journey_id), dict(asked, channel=channel))
