"""Server-rendered pages (Jinja2, no front-end build): the staff board and timelines, and the
patient's own pages. Every page declares the roles that may open it, as every API route does;
`serve` checks who is asking before any page runs, logs every refusal, checks the CSRF token and
origin of every form post, and sends the security headers on every answer. Every form rendered
carries an idempotency key of its own, so a double click has one effect; every page has the
gateway's RPC timeout."""
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.gateway.adapters.dispatch import (
    REPLAYED_HEADER,
    client_of,
    plain_key,
    principal_of,
    read_body,
    rpc_deadline,
)
from services.gateway.adapters.errors import classify
from services.gateway.domain.credentials import JOURNEY_SCOPE, PATIENT_SESSION, STAFF, Principal
from services.gateway.domain.roles import NAME_READERS, PATIENT, PUBLIC
from services.gateway.handlers import access_log, idempotency, work
from services.gateway.handlers.principals import authorise, identify
from shared import i18n
from shared.errors import Forbidden, Unauthorized, sentence

STAFF_COOKIE, PATIENT_COOKIE, CSRF_COOKIE = "carepath_staff", "carepath_patient", "carepath_csrf"
LANGUAGE_COOKIE = "carepath_language"   # the portal's language switch


@cache
def environment(language: str) -> Environment:
    """The templates, translated into `language` from the kernel's catalogs (shared/i18n): the patient
    portal's are marked with {% trans %} and _(); the staff pages read in English."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(i18n.translations(language, "portal"), newstyle=True)
    env.globals["name_readers"] = NAME_READERS   # the staff nav offers Find a patient to these roles
    return env


TEMPLATES = environment(i18n.DEFAULT)
PAGES = Map(strict_slashes=False)
FORM_KEY = "idempotency_key"
KEPT_HEADERS = ("Content-Type", "Location", "Content-Disposition")   # what a replayed page answer needs
_NONCE = "csp-nonce"   # kept with a page's answer: its HTML carries the nonce of its first rendering
# Staff and patient forms are a few fields; below werkzeug's 500 KB per-field memory limit, so this one
# answers first, with our 413 naming it.
FORM_MAX_BODY = 256 * 1024
PORTAL_PATH = "/p"   # the patient portal's pages (services/gateway/adapters/portal.py)


@dataclass(frozen=True)
class Page:
    handler: object
    roles: frozenset
    action: str
    max_body: int = FORM_MAX_BODY   # a form with a file may say more
    scope: str = JOURNEY_SCOPE      # a patient link scoped to e.g. the questionnaire reaches only its pages

    @property
    def public(self) -> bool:
        return PUBLIC in self.roles

    @property
    def for_patients(self) -> bool:
        return PATIENT in self.roles

    @property
    def name(self) -> str:
        return self.handler.__name__


def page(path: str, *, roles, action: str, methods=("GET",), max_body: int = FORM_MAX_BODY,
         scope: str = JOURNEY_SCOPE):
    """Register `handler(ui, **args)` for /ui/<path>, for `roles` only (PUBLIC: no sign-in)."""
    roles = frozenset([roles]) if isinstance(roles, str) else frozenset(roles)

    def register(handler):
        endpoint = Page(handler, roles, action, max_body, scope)
        PAGES.add(Rule("/" + path, methods=list(methods), endpoint=endpoint))
        return handler
    return register


class UI:
    """One page request: the caller, rendering, forms and the access log."""

    def __init__(self, service, request):
        self.service, self.request = service, request
        self.principal: Principal | None = None
        self.nonce = secrets.token_urlsafe(16)
        self.csrf_seed = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        self.language = i18n.DEFAULT   # the portal sets the reader's (services/gateway/adapters/portal.py)
        self.context: dict = {}        # values every template of this request reads (the portal's frame)

    @property
    def config(self) -> dict:
        return self.service.config

    @property
    def client(self) -> str:
        """The client's address (the connecting one, or the one a trusted proxy forwards)."""
        return client_of(self.service, self.request)

    @property
    def csrf_token(self) -> str:
        """Tied to this browser's CSRF cookie; a page on another site cannot know it."""
        key = self.config["AUTH"]["token_secret"].encode()
        return hmac.new(key, b"csrf:" + self.csrf_seed.encode(), hashlib.sha256).hexdigest()

    def render(self, template: str, code: int = 200, **values) -> Response:
        values = {"principal": self.principal, "lang": self.language, **self.context, **values,
                  # the staff nav's "My work (7)": asked only when a template shows it, kept seconds per role
                  "work_count": lambda: work.nav_count(self.service, self.principal)}
        html = environment(self.language).get_template(template).render(
            csrf_token=self.csrf_token, csp_nonce=self.nonce, idempotency_key=secrets.token_urlsafe(18),
            **values)
        return Response(html, status=code, content_type="text/html; charset=utf-8")

    def log_access(self, journey_id: str, action: str, detail: str | None = None) -> None:
        access_log.record(self.service.uow, principal=self.principal, journey_id=journey_id, action=action,
                          method=self.request.method, path=self.request.path, outcome="allowed", status=200,
                          detail=detail)

    def log_reads(self, journey_ids: list[str], action: str, detail: str | None = None) -> None:
        """A page listing several patients: a read of each, in one transaction."""
        access_log.record_reads(self.service.uow, principal=self.principal, journey_ids=journey_ids,
                                action=action, method=self.request.method, path=self.request.path,
                                detail=detail)

    def set_cookie(self, response: Response, name: str, token: str, max_age: int,
                   path: str | None = None) -> Response:
        response.set_cookie(name, token, max_age=max_age, path=path or self.cookie_path, httponly=True,
                            samesite="Strict", secure=self.over_tls)
        return response

    @property
    def cookie_path(self) -> str:
        """Cookies stay with their part of the site: the patient portal's under /p, the rest under /ui."""
        return PORTAL_PATH if self.in_portal else "/ui"

    @property
    def in_portal(self) -> bool:
        return self.request.path.startswith(PORTAL_PATH + "/")

    @property
    def over_tls(self) -> bool:
        """Cookies are Secure when browsers reach us over TLS: directly, behind a proxy that says so
        (X-Forwarded-Proto), or at a public address that is https (GATEWAY.public_url)."""
        public = str((self.config.get("GATEWAY") or {}).get("public_url") or "")
        return (self.request.scheme == "https" or self.request.headers.get("X-Forwarded-Proto") == "https"
                or public.startswith("https://"))


def serve(service, request, path: str) -> Response:
    ui, found, args = UI(service, request), None, {}
    try:
        found, args = PAGES.bind("localhost").match("/" + path, method=request.method)
        if request.method == "POST":
            read_body(request, found.max_body, "form")
            _check_form_origin(ui)
        if not found.public:
            ui.principal = _principal(ui, found)
            service.context["actor"] = ui.principal.actor
            authorise(ui.principal, found.roles, found.action, journey_id=_journey(ui, found, args),
                      scope=found.scope)
        if request.method == "POST" and not found.public:
            response = _post_once(ui, found, args)
        else:
            response = _call(ui, found, args)
    except (Unauthorized, Forbidden) as exc:
        response = _refused(ui, found, args, path, exc)
    except Exception as exc:
        response = _error_page(ui, exc)
    return _secured(ui, response)


def _call(ui: UI, found: Page, args: dict) -> Response:
    with rpc_deadline(ui.config):
        return found.handler(ui, **args)


def _post_once(ui: UI, found: Page, args: dict) -> Response:
    """A staff form post: with its form's key, the same handler as the API's Idempotency-Key
    (services/gateway/handlers/idempotency.py) runs it once and replays its answer to a repeat."""
    key = ui.request.form.get(FORM_KEY)
    if key is None:
        ui.service.context["command_id"] = f"request:{uuid.uuid4()}"
        return _call(ui, found, args)
    fields = sorted((name, value) for name, value in ui.request.form.items(multi=True)
                    if name not in ("csrf_token", FORM_KEY))
    claim = idempotency.Claim(plain_key(key, "the form's idempotency key"),
                              principal_of(ui.principal, ui.client), "POST", ui.request.path[:300],
                              idempotency.body_hash(ui.config["AUTH"]["token_secret"],
                                                    json.dumps(fields).encode()))
    ui.service.context["command_id"] = claim.command_id
    first = []

    def run() -> idempotency.Answer:
        try:
            response = _call(ui, found, args)
        except (Unauthorized, Forbidden):
            raise   # refused, not kept
        except Exception as exc:
            response = _error_page(ui, exc)
        first.append(response)
        kept = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        return idempotency.Answer(response.status_code, response.get_data(as_text=True),
                                  {**kept, _NONCE: ui.nonce})
    answer, replayed = idempotency.once(ui.service.uow, claim, idempotency.policy(ui.config), run)
    if not replayed:
        return first[0]
    headers = dict(answer.headers)
    ui.nonce = headers.pop(_NONCE, ui.nonce)
    return Response(answer.body, status=answer.status, headers={**headers, REPLAYED_HEADER: "true"})


def _principal(ui: UI, found: Page) -> Principal:
    cookie, kind = (PATIENT_COOKIE, PATIENT_SESSION) if found.for_patients else (STAFF_COOKIE, STAFF)
    token = ui.request.cookies.get(cookie)
    return identify(ui.service.uow, ui.config["AUTH"]["token_secret"], f"Bearer {token}" if token else None,
                    kinds=(kind,))


def _journey(ui: UI, found: Page, args: dict) -> str | None:
    if "journey_id" in args:
        return str(args["journey_id"])
    return ui.principal.journey_id if found.for_patients else None


def _check_form_origin(ui: UI) -> None:
    """A form post must come from our own pages: same origin (when the browser says), our token."""
    origin = ui.request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != ui.request.host:
        raise Forbidden("this form was sent from another site")
    sent = ui.request.form.get("csrf_token", "")
    if not ui.request.cookies.get(CSRF_COOKIE) or not hmac.compare_digest(sent, ui.csrf_token):
        raise Forbidden("this form has expired or did not come from Carepath; "
                        "please reload the page and try again")


def _refused(ui: UI, found: Page | None, args: dict, path: str, exc) -> Response:
    status = 401 if isinstance(exc, Unauthorized) else 403
    if found is not None:
        journey = str(args["journey_id"]) if "journey_id" in args else None
        access_log.record(ui.service.uow, principal=ui.principal, journey_id=journey,
                          action=f"ui_{found.name}", method=ui.request.method, path=ui.request.path,
                          outcome="denied", status=status)
    if status == 403:
        return ui.render(_error_template(ui), 403, status=403, title="Not allowed",
                         message=sentence(exc.message))
    if found is not None and found.for_patients:
        return ui.render(_error_template(ui), 401, status=401, title="This link has expired",
                         message="Please ask the clinic for a new personal link.")
    return redirect(f"/ui/login?next={quote('/ui/' + path)}", code=303)


def _error_page(ui: UI, exc: Exception) -> Response:
    failure = classify(exc)
    titles = {400: "Bad request", 404: "Not found", 409: "Not now", 413: "Too large", 422: "Please check",
              429: "Please wait", 503: "Unavailable"}
    response = ui.render(_error_template(ui), failure.status, status=failure.status,
                         title=titles.get(failure.status, "Something went wrong"),
                         # A 503 says what is away and when to try again; a 500's detail is for operators.
                         message=failure.message if failure.status < 500 or failure.status == 503 else
                         "Something went wrong; the clinic's operators have been told.")
    response.headers.update(failure.headers)
    return response


def _error_template(ui: UI) -> str:
    """The portal's errors read in the patient's language, in the portal's frame."""
    if not ui.in_portal:
        return "error.html"
    asked, kept = ui.request.args.get("lang"), ui.request.cookies.get(LANGUAGE_COOKIE)
    if asked in i18n.LANGUAGES or kept in i18n.LANGUAGES:
        ui.language = asked if asked in i18n.LANGUAGES else kept
    elif ui.principal is None:   # no session, no choice kept: the browser's language
        ui.language = ui.request.accept_languages.best_match(i18n.LANGUAGES) or i18n.DEFAULT
    return "portal_error.html"


def _secured(ui: UI, response: Response) -> Response:
    """Headers on every page answer: no caching, no framing, no sniffing, no referrer, and a CSP."""
    # A page whose form is answered with a redirect elsewhere names it (browsers check the redirect too).
    form_action = " ".join(("'self'", *ui.context.get("form_targets", ())))
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src 'nonce-{ui.nonce}'; img-src 'self' data:; form-action {form_action}; "
        "frame-ancestors 'none'; base-uri 'none'")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if not ui.request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, ui.csrf_seed, path=ui.cookie_path, httponly=True, samesite="Strict",
                            secure=ui.over_tls)
    return response
