"""Staff pages: sign-in, the journey board, one journey's timeline, its access log and erasure."""
import json

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.gateway.auth import issue_token
from services.gateway.roles import ADMIN, INTAKE, SPECIALIST
from services.gateway.routes.journey import access_entries, personal_details
from services.gateway.staff import authenticate
from services.gateway.ui import STAFF_COOKIE, page
from shared.contracts.journey import STAGES
from shared.errors import Forbidden, TooManyRequests, Unauthorized

STALL_WORDS = {"enquiry_unanswered": "enquiry unanswered", "deposit_unpaid": "deposit unpaid",
               "review_overdue": "review overdue", "travel_conflict_open": "travel conflict open"}


def _next(target: str | None) -> str:
    """Only back into these pages: never an open redirect."""
    return target if target and target.startswith("/ui/") and not target.startswith("//") else "/ui/board"


@page("login", methods=("GET", "POST"))
def login(ui):
    if ui.request.method == "GET":
        return ui.render("login.html", next=_next(ui.request.args.get("next")))
    form = ui.request.form
    if ui.service.limiter.wait("ui_login", ui.request.remote_addr or "unknown", 10, 60.0):
        raise TooManyRequests("too many sign-in attempts; try again in a minute")
    try:
        with ui.service.uow as uow:
            user = authenticate(uow.session, form.get("username", ""), form.get("password", ""))
            subject, role = f"staff:{user.id}", user.role
    except Unauthorized as exc:
        return ui.render("login.html", 401, next=_next(form.get("next")), error=exc.message)
    ttl = int(ui.config["AUTH"]["token_ttl_seconds"])
    token = issue_token(ui.config["AUTH"]["token_secret"], subject, role, ttl)
    return ui.set_cookie(redirect(_next(form.get("next")), code=303), STAFF_COOKIE, token, ttl)


@page("logout", methods=("POST",))
def logout(ui):
    response = redirect("/ui/login", code=303)
    response.delete_cookie(STAFF_COOKIE, path="/ui")
    return response


@page("board")
def board(ui):
    principal = ui.principal()
    stage = ui.request.args.get("stage") or None
    stalled_only = ui.request.args.get("stalled_only") == "1"
    stage = stage if stage in STAGES else None
    journeys = ui.service.journey_rpc.board(stage=stage, stalled_only=stalled_only)
    for journey in journeys:
        ui.log_access(principal, journey["journey_id"], "ui_board")
    return ui.render("board.html", principal=principal, journeys=journeys, stages=STAGES, stage=stage,
                     stalled_only=stalled_only, stall_words=STALL_WORDS)


@page("journeys/<uuid:journey_id>")
def journey(ui, journey_id):
    principal, journey_id = ui.principal(), str(journey_id)
    found = ui.service.journey_rpc.timeline(journey_id)
    ui.log_access(principal, journey_id, "ui_timeline")
    is_admin = principal.role == ADMIN
    erasures = ui.service.journey_rpc.erasure_requests(journey_id) if is_admin else []
    return ui.render("journey.html", principal=principal, j=found, stall_words=STALL_WORDS, is_admin=is_admin,
                     erasures=erasures, can_export=principal.role in (SPECIALIST, INTAKE, ADMIN))


@page("journeys/<uuid:journey_id>/fhir")
def export_fhir(ui, journey_id):
    principal, journey_id = ui.principal(), str(journey_id)
    if principal.role not in (SPECIALIST, INTAKE, ADMIN):
        raise Forbidden("your role may not export a patient's record")
    bundle = ui.service.journey_rpc.export_fhir(journey_id, personal_details(ui.service, journey_id))
    ui.log_access(principal, journey_id, "ui_fhir_export")
    return Response(json.dumps(bundle, indent=2), content_type="application/fhir+json",
                    headers={"Content-Disposition": f'attachment; filename="journey-{journey_id}.json"',
                             "Cache-Control": "no-store"})


@page("journeys/<uuid:journey_id>/access-log")
def journey_access_log(ui, journey_id):
    principal, journey_id = ui.principal(), str(journey_id)
    if principal.role != ADMIN:
        raise Forbidden("only an administrator reads the access log")
    ui.log_access(principal, journey_id, "ui_access_log")
    return ui.render("access_log.html", principal=principal, staff=True, back=f"/ui/journeys/{journey_id}",
                     entries=access_entries(ui.service, principal, journey_id))


@page("journeys/<uuid:journey_id>/erasure", methods=("POST",))
def request_erasure(ui, journey_id):
    principal, journey_id = ui.principal(), str(journey_id)
    if principal.role != ADMIN:
        raise Forbidden("only an administrator may request an erasure")
    ui.service.journey_rpc.request_erasure(journey_id)
    ui.log_access(principal, journey_id, "ui_request_erasure")
    return redirect(f"/ui/journeys/{journey_id}", code=303)
