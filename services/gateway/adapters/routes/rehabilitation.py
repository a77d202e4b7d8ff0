"""Rehabilitation: the physiotherapist's sessions and the patient's progress to the target load.

Bodies are checked here with the service's own forms (shared/contracts/api); the
rehabilitation service applies the plan's rules (steps, target, stay, pain scale)
and stores nothing it refuses.
"""
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import PHYSIOTHERAPIST, PSYCHOLOGIST, SPECIALIST
from shared.contracts.api.rehabilitation import (
    RehabCompletionForm,
    RehabDayForm,
    RehabFittingForm,
    RehabMissedSessionForm,
    RehabPlanView,
    RehabPsychologistSessionForm,
    RehabSessionForm,
    RehabStartLoadForm,
)
from shared.i18n import N_

TAG = "rehabilitation"
BASE = "/journeys/<uuid:journey_id>/rehabilitation"
READERS = {PHYSIOTHERAPIST, SPECIALIST, PSYCHOLOGIST}


def _rpc(ctx):
    return ctx.rpc("rehabilitation")


def _json(schema_cls, ctx) -> dict:
    return schema_cls().dump(ctx.body)


@route("GET", BASE, roles=READERS, summary="Show the rehabilitation plan and progress", tag=TAG,
       response=RehabPlanView,
       action=N_("read a rehabilitation plan"))
def rehab_plan(ctx, journey_id):
    return _rpc(ctx).get_plan(str(journey_id))


@route("PUT", BASE + "/start-load", roles=PHYSIOTHERAPIST, summary="Choose the start load (5 or 20 kg)",
       tag=TAG, body=RehabStartLoadForm, response=RehabPlanView,
       action=N_("choose a start load"))
def rehab_start_load(ctx, journey_id):
    return _rpc(ctx).choose_start_load(str(journey_id), _json(RehabStartLoadForm, ctx))


@route("POST", BASE + "/sessions", roles=PHYSIOTHERAPIST, summary="Record a physiotherapy session",
       tag=TAG, body=RehabSessionForm, response=RehabPlanView, status=201,
       action=N_("record a physiotherapy session"))
def rehab_session(ctx, journey_id):
    return _rpc(ctx).record_session(str(journey_id), _json(RehabSessionForm, ctx))


@route("POST", BASE + "/days", roles=PHYSIOTHERAPIST, tag=TAG, body=RehabDayForm, response=RehabPlanView,
       status=201, summary="Record a day of daily rehabilitation as done, or missed with a reason (again for "
                           "the same day: a correction); missed days move the projected end",
       responses={409: "no active plan", 422: "outside the stay, in the future, or a missing or unknown "
                                               "reason code"},
       action=N_("record a day of rehabilitation"))
def rehab_day(ctx, journey_id):
    return _rpc(ctx).record_day(str(journey_id), _json(RehabDayForm, ctx))


@route("POST", BASE + "/missed-sessions", roles=PHYSIOTHERAPIST, tag=TAG, body=RehabMissedSessionForm,
       response=RehabPlanView, status=201, summary="Record a supervised session the patient missed",
       responses={409: "a session was attended on that date, or no active plan"},
       action=N_("record a missed physiotherapy session"))
def rehab_missed_session(ctx, journey_id):
    return _rpc(ctx).record_missed_session(str(journey_id), _json(RehabMissedSessionForm, ctx))


@route("POST", BASE + "/prosthesis-fitting", roles={PHYSIOTHERAPIST, SPECIALIST},
       summary="Record the prosthesis fitted", tag=TAG, body=RehabFittingForm, response=RehabPlanView,
       status=201,
       action=N_("record a prosthesis fitting"))
def rehab_prosthesis_fitted(ctx, journey_id):
    return _rpc(ctx).record_prosthesis_fitted(str(journey_id), _json(RehabFittingForm, ctx))


@route("POST", BASE + "/completion", roles={PHYSIOTHERAPIST, SPECIALIST},
       summary="Complete rehabilitation (the patient may fly home)", tag=TAG, body=RehabCompletionForm,
       response=RehabPlanView, status=201,
       action=N_("complete a rehabilitation"))
def rehab_completion(ctx, journey_id):
    return _rpc(ctx).complete_rehabilitation(str(journey_id), _json(RehabCompletionForm, ctx))


@route("POST", BASE + "/psychologist-request", roles=READERS, summary="Ask for a psychologist to assist",
       tag=TAG, response=RehabPlanView, status=201,
       action=N_("ask for a psychologist"))
def rehab_psychologist_request(ctx, journey_id):
    return _rpc(ctx).request_psychologist(str(journey_id))


@route("POST", BASE + "/psychologist-sessions", roles=PSYCHOLOGIST, summary="Record a psychologist session",
       tag=TAG, body=RehabPsychologistSessionForm, response=RehabPlanView, status=201,
       action=N_("record a psychologist session"))
def rehab_psychologist_session(ctx, journey_id):
    return _rpc(ctx).record_psychologist_session(str(journey_id), _json(RehabPsychologistSessionForm, ctx))
