"""Administrators' operations: every service's dead letters (list, show, replay, discard).

Each service answers for its own letters over RPC (shared/operations.py); the gateway's
own are read here (handlers/operations.py, which the operations page calls too). A letter
shows its envelope and error, never the message's payload.
"""
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ADMIN
from services.gateway.handlers import operations
from shared.contracts.api.operations import SERVICES, DeadLetterQuery, DeadLetterView
from shared.i18n import N_

NO_LETTER = {404: "No such service, or no such dead letter in it"}
NOT_PARKED = {409: "The letter is not parked (already replayed or discarded)"}


@route("GET", "/dead-letters", roles=ADMIN, tag="operations", query=DeadLetterQuery,
       response=DeadLetterView, many=True, patient_param=None,
       summary="Dead letters of one service or of every service, oldest first",
       action=N_("list dead letters"))
def list_dead_letters(ctx):
    names = [ctx.query["service"]] if ctx.query["service"] else SERVICES
    return [letter for name in names for letter in operations.letters(ctx.service, name, ctx.query["status"])]


@route("GET", "/dead-letters/<service>/<int:letter_id>", roles=ADMIN, tag="operations",
       response=DeadLetterView, patient_param=None, responses=NO_LETTER,
       summary="A dead letter: its envelope, error and attempts (never its payload)",
       action=N_("read a dead letter"))
def show_dead_letter(ctx, service, letter_id):
    return operations.letter(ctx.service, service, letter_id)


@route("POST", "/dead-letters/<service>/<int:letter_id>/replay", roles=ADMIN, tag="operations",
       response=DeadLetterView, patient_param=None, responses={**NO_LETTER, **NOT_PARKED},
       summary="Replay a parked letter onto its handler's queue (the inbox keeps its effect once)",
       action=N_("replay a dead letter"))
def replay_dead_letter(ctx, service, letter_id):
    return operations.replay(ctx.service, service, letter_id)


@route("DELETE", "/dead-letters/<service>/<int:letter_id>", roles=ADMIN, tag="operations",
       response=DeadLetterView, patient_param=None, responses={**NO_LETTER, **NOT_PARKED},
       summary="Discard a parked letter: it is kept, marked discarded, and never replayed",
       action=N_("discard a dead letter"))
def discard_dead_letter(ctx, service, letter_id):
    return operations.discard(ctx.service, service, letter_id)
