"""Staff pages: sign-in, the journey board, one journey's page (its timeline and the actions it allows), its
access log and erasure."""
import json
import logging
import math

from nameko.exceptions import RemoteError, UnknownService
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.gateway.adapters.errors import MalformedRequest
from services.gateway.adapters.pages import journey_actions
from services.gateway.adapters.routes.staff import LOGIN_LIMIT
from services.gateway.adapters.ui import STAFF_COOKIE, page
from services.gateway.domain.roles import ADMIN, ALL_STAFF, INTAKE, NAME_READERS, PUBLIC, SPECIALIST
from services.gateway.handlers import sign_in
from services.gateway.handlers.access_log import access_entries
from services.gateway.handlers.records import personal_details
from shared.contracts.journey import STAGES, STALLS
from shared.errors import TooManyRequests, Unauthorized, sentence
from shared.i18n import N_

log = logging.getLogger(__name__)

EXPORTERS = frozenset({SPECIALIST, INTAKE, ADMIN})
STALL_WORDS = {"enquiry_unanswered": "enquiry unanswered", "deposit_unpaid": "deposit unpaid",
               "review_overdue": "image review overdue", "travel_conflict_open": "travel conflict open",
               "desk_task_open": "travel desk task open", "scheduling_blocked": "no surgery date fits",
               "balance_overdue": "balance overdue", "questionnaire_overdue": "questionnaire overdue",
               "escalation_overdue": "complication not acted on", "checkup_missed": "check-up missed",
               "second_opinion_unbooked": "second opinion not booked",
               "second_opinion_unrecorded": "second opinion visit not recorded",
               "second_opinion_outcome_missing": "second opinion outcome missing"}
PAGE_SIZES = (25, 50, 100)
OPENED_FROM_SEARCH = "opened from the patient search"


def _next(target: str | None) -> str:
    """Only back into these pages: never an open redirect."""
    return target if target and target.startswith("/ui/") and not target.startswith("//") else "/ui/work"


@page("login", roles=PUBLIC, action=N_("sign in"), methods=("GET", "POST"))
def login(ui):
    if ui.request.method == "GET":
        return ui.render("login.html", next=_next(ui.request.args.get("next")))
    form = ui.request.form
    # The same allowance per address as the API's sign-in, and the same per-account wait.
    wait = ui.service.limiter.wait("login", ui.client, *LOGIN_LIMIT)
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


@page("logout", roles=ALL_STAFF, action=N_("sign out"), methods=("POST",))
def logout(ui):
    response = redirect("/ui/login", code=303)
    response.delete_cookie(STAFF_COOKIE, path="/ui")
    return response


@page("board", roles=ALL_STAFF, action=N_("see the journey board"))
def board(ui):
    """A page of the board, of a stage and a stall reason; names beside the ids for the roles that may
    see who a patient is. Each journey listed is a read of its record in the access log."""
    args = ui.request.args
    stage = args.get("stage") or None
    stall = args.get("stall") or ("any" if args.get("stalled_only") else None)   # an older address
    if stage is not None and stage not in STAGES:
        raise MalformedRequest(f"there is no stage called {stage[:40]!r}")
    if stall is not None and stall not in ("any", *STALLS):
        raise MalformedRequest(f"there is no stall called {stall[:40]!r}")
    per_page = page_number(args.get("per_page"), "the page size", default=PAGE_SIZES[0])
    if per_page not in PAGE_SIZES:
        raise MalformedRequest(f"the page size is one of {', '.join(map(str, PAGE_SIZES))}")
    shown = ui.service.journey_rpc.board_page({"stage": stage, "stall": stall, "per_page": per_page,
                                               "page": page_number(args.get("page"), "the page")})
    ids = [item["journey_id"] for item in shown["items"]]
    names = _names(ui, ids) if ui.principal.role in NAME_READERS else None
    ui.log_reads(ids, "ui_board", detail="with names" if names else None)
    return ui.render("board.html", board=shown, journeys=shown["items"], stages=STAGES, stage=stage,
                     stall=stall, stalls=STALLS, stall_words=STALL_WORDS, page_sizes=PAGE_SIZES,
                     per_page=per_page, names=names, names_away=names is None and ui.principal.role in
                     NAME_READERS, last_page=max(1, math.ceil(shown["total"] / per_page)))


def page_number(value: str | None, what: str, default: int = 1) -> int:
    """A page (or page size) from the address: a whole number from 1, else a bad request."""
    if value in (None, ""):
        return default
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise MalformedRequest(f"{what} must be a whole number from 1")
    return int(value)


def _names(ui, journey_ids: list[str]) -> dict | None:
    """The patients' names, in one call to enquiries; None when it cannot say (the board still shows)."""
    if not journey_ids:
        return {}
    try:
        return {item["journey_id"]: item["name"] for item in ui.service.enquiries_rpc.names_for(journey_ids)}
    except (RemoteError, UnknownService) as exc:
        log.warning("the board is shown without names", extra={"status": type(exc).__name__})
        return None


@page("journeys/<uuid:journey_id>", roles=ALL_STAFF, action=N_("see a journey's timeline"))
def journey(ui, journey_id):
    """The timeline, the patient's details for the roles that may see who a patient is, and the forms of
    the actions the journey's stage allows this role (pages/actions.py)."""
    return _journey_page(ui, str(journey_id))


@page("journeys/<uuid:journey_id>/actions/<string:name>", roles=ALL_STAFF,
      action=N_("change a patient's journey"), methods=("POST",))
def journey_action(ui, journey_id, name):
    """One action's form, sent through the API's route (its role check, schema, use case and access log):
    back to the journey page (303) once accepted; else the page again, the form as typed and the route's
    messages beside their fields."""
    journey_id = str(journey_id)
    outcome = journey_actions.submit(ui, journey_id, name)
    if isinstance(outcome, Response):
        return outcome
    return _journey_page(ui, journey_id, posted=outcome, code=outcome.status)


def _journey_page(ui, journey_id: str, posted=None, code: int = 200) -> Response:
    found = ui.service.journey_rpc.timeline(journey_id)
    ui.log_access(journey_id, "ui_timeline",
                  detail=OPENED_FROM_SEARCH if ui.request.args.get("from") == "search" else None)
    is_admin = ui.principal.role == ADMIN
    erasures = ui.service.journey_rpc.erasure_requests(journey_id) if is_admin else []
    return ui.render("journey.html", code, j=found, stall_words=STALL_WORDS, is_admin=is_admin,
                     erasures=erasures, can_export=ui.principal.role in EXPORTERS,
                     **journey_actions.page_values(ui, found, posted))


@page("journeys/<uuid:journey_id>/fhir", roles=EXPORTERS, action=N_("export a patient's record"))
def export_fhir(ui, journey_id):
    journey_id = str(journey_id)
    bundle = ui.service.journey_rpc.export_fhir(journey_id, personal_details(ui.service, journey_id))
    ui.log_access(journey_id, "ui_fhir_export")
    return Response(json.dumps(bundle, indent=2), content_type="application/fhir+json",
                    headers={"Content-Disposition": f'attachment; filename="journey-{journey_id}.json"'})


@page("journeys/<uuid:journey_id>/access-log", roles=ADMIN, action=N_("read the access log"))
def journey_access_log(ui, journey_id):
    journey_id = str(journey_id)
    ui.log_access(journey_id, "ui_access_log")
    return ui.render("access_log.html", staff=True, back=f"/ui/journeys/{journey_id}",
                     entries=access_entries(ui.service.uow, ui.principal, journey_id))


@page("journeys/<uuid:journey_id>/erasure", roles=ADMIN, action=N_("request an erasure"), methods=("POST",))
def request_erasure(ui, journey_id):
    journey_id = str(journey_id)
    ui.service.journey_rpc.request_erasure(journey_id)
    ui.log_access(journey_id, "ui_request_erasure")
    return redirect(f"/ui/journeys/{journey_id}", code=303)
