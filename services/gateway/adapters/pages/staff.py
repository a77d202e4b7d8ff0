"""Staff pages: sign-in, the journey board, one journey's timeline, its access log and erasure."""
import json
import math

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.gateway.adapters.routes.staff import LOGIN_LIMIT
from services.gateway.adapters.ui import STAFF_COOKIE, page
from services.gateway.domain.roles import ADMIN, ALL_STAFF, INTAKE, PUBLIC, SPECIALIST
from services.gateway.handlers import sign_in
from services.gateway.handlers.access_log import access_entries
from services.gateway.handlers.records import personal_details
from shared.contracts.journey import STAGES
from shared.errors import TooManyRequests, Unauthorized, sentence

EXPORTERS = frozenset({SPECIALIST, INTAKE, ADMIN})
STALL_WORDS = {"enquiry_unanswered": "enquiry unanswered", "deposit_unpaid": "deposit unpaid",
               "review_overdue": "image review overdue", "travel_conflict_open": "travel conflict open",
               "balance_overdue": "balance overdue", "questionnaire_overdue": "questionnaire overdue",
               "escalation_overdue": "complication not acted on", "checkup_missed": "check-up missed"}


def _next(target: str | None) -> str:
    """Only back into these pages: never an open redirect."""
    return target if target and target.startswith("/ui/") and not target.startswith("//") else "/ui/board"


@page("login", roles=PUBLIC, action="sign in", methods=("GET", "POST"))
def login(ui):
    if ui.request.method == "GET":
        return ui.render("login.html", next=_next(ui.request.args.get("next")))
    form = ui.request.form
    # The same allowance per address as the API's sign-in, and the same per-account wait.
    wait = ui.service.limiter.wait("login", ui.request.remote_addr or "unknown", *LOGIN_LIMIT)
    try:
        if wait:
            raise TooManyRequests("too many sign-in attempts; try again later",
                                  retry_after_seconds=math.ceil(wait))
        token = sign_in.sign_in(ui.service.uow, ui.config["AUTH"], form.get("username", "")[:100],
                                form.get("password", "")[:200])
    except Unauthorized as exc:
        return ui.render("login.html", 401, next=_next(form.get("next")), error=sentence(exc.message))
    except TooManyRequests as exc:
        response = ui.render("login.html", 429, next=_next(form.get("next")),
                             error=sentence(f"{exc.message} (in {exc.details['retry_after_seconds']} "
                                            "seconds)"))
        response.headers["Retry-After"] = str(exc.details["retry_after_seconds"])
        return response
    return ui.set_cookie(redirect(_next(form.get("next")), code=303), STAFF_COOKIE, token["access_token"],
                         token["expires_in"])


@page("logout", roles=ALL_STAFF, action="sign out", methods=("POST",))
def logout(ui):
    response = redirect("/ui/login", code=303)
    response.delete_cookie(STAFF_COOKIE, path="/ui")
    return response


@page("board", roles=ALL_STAFF, action="see the journey board")
def board(ui):
    stage = ui.request.args.get("stage") or None
    stalled_only = ui.request.args.get("stalled_only") == "1"
    stage = stage if stage in STAGES else None
    journeys = ui.service.journey_rpc.board(stage=stage, stalled_only=stalled_only)
    for journey in journeys:
        ui.log_access(journey["journey_id"], "ui_board")
    return ui.render("board.html", journeys=journeys, stages=STAGES, stage=stage,
                     stalled_only=stalled_only, stall_words=STALL_WORDS)


@page("journeys/<uuid:journey_id>", roles=ALL_STAFF, action="see a journey's timeline")
def journey(ui, journey_id):
    journey_id = str(journey_id)
    found = ui.service.journey_rpc.timeline(journey_id)
    ui.log_access(journey_id, "ui_timeline")
    is_admin = ui.principal.role == ADMIN
    erasures = ui.service.journey_rpc.erasure_requests(journey_id) if is_admin else []
    return ui.render("journey.html", j=found, stall_words=STALL_WORDS, is_admin=is_admin,
                     erasures=erasures, can_export=ui.principal.role in EXPORTERS)


@page("journeys/<uuid:journey_id>/fhir", roles=EXPORTERS, action="export a patient's record")
def export_fhir(ui, journey_id):
    journey_id = str(journey_id)
    bundle = ui.service.journey_rpc.export_fhir(journey_id, personal_details(ui.service, journey_id))
    ui.log_access(journey_id, "ui_fhir_export")
    return Response(json.dumps(bundle, indent=2), content_type="application/fhir+json",
                    headers={"Content-Disposition": f'attachment; filename="journey-{journey_id}.json"'})


@page("journeys/<uuid:journey_id>/access-log", roles=ADMIN, action="read the access log")
def journey_access_log(ui, journey_id):
    journey_id = str(journey_id)
    ui.log_access(journey_id, "ui_access_log")
    return ui.render("access_log.html", staff=True, back=f"/ui/journeys/{journey_id}",
                     entries=access_entries(ui.service.uow, ui.principal, journey_id))


@page("journeys/<uuid:journey_id>/erasure", roles=ADMIN, action="request an erasure", methods=("POST",))
def request_erasure(ui, journey_id):
    journey_id = str(journey_id)
    ui.service.journey_rpc.request_erasure(journey_id)
    ui.log_access(journey_id, "ui_request_erasure")
    return redirect(f"/ui/journeys/{journey_id}", code=303)
