"""Server-rendered pages (Jinja2, no front-end build): the staff journey board and timelines,
and the patient's own page. Staff sign in with a form; the token rides in an HttpOnly cookie."""
import logging
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from nameko.exceptions import RemoteError, UnknownService
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.gateway import access_log
from services.gateway.auth import Principal, read_token
from services.gateway.errors import STATUS_BY_ERROR
from shared.errors import CarepathError, Forbidden, Unauthorized, parse_message

log = logging.getLogger(__name__)
STAFF_COOKIE, PATIENT_COOKIE = "carepath_staff", "carepath_patient"
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(default=True))
PAGES = Map(strict_slashes=False)


def page(path: str, methods=("GET",)):
    """Register a page handler `handler(ui, **args)` for /ui/<path>."""
    def register(handler):
        PAGES.add(Rule("/" + path, methods=list(methods), endpoint=handler))
        return handler
    return register


class UI:
    """One page request: the caller (from a cookie), rendering, and the access log."""

    def __init__(self, service, request):
        self.service, self.request = service, request

    @property
    def config(self) -> dict:
        return self.service.config

    def principal(self, cookie: str = STAFF_COOKIE) -> Principal:
        token = self.request.cookies.get(cookie)
        principal = read_token(self.config["AUTH"]["token_secret"], f"Bearer {token}" if token else None)
        self.service.context["actor"] = principal.actor
        return principal

    def render(self, template: str, code: int = 200, **values) -> Response:
        return Response(TEMPLATES.get_template(template).render(**values), status=code,
                        content_type="text/html; charset=utf-8",
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})

    def log_access(self, principal: Principal, journey_id: str, action: str) -> None:
        access_log.record(self.service.uow, principal=principal, journey_id=journey_id, action=action,
                          method=self.request.method, path=self.request.path, outcome="allowed", status=200)

    def set_cookie(self, response: Response, name: str, token: str, max_age: int) -> Response:
        secure = self.request.scheme == "https" or self.request.headers.get("X-Forwarded-Proto") == "https"
        response.set_cookie(name, token, max_age=max_age, path="/ui", httponly=True, samesite="Strict",
                            secure=secure)
        return response


def serve(service, request, path: str) -> Response:
    from services.gateway.pages import patient, staff  # noqa: F401  (registers the pages)
    ui = UI(service, request)
    try:
        handler, args = PAGES.bind("localhost").match("/" + path, method=request.method)
        return handler(ui, **args)
    except Unauthorized:
        if path.startswith(("my-journey", "patient")):
            return ui.render("error.html", 401, status=401, title="This link has expired",
                             message="Please ask the clinic for a new personal link.")
        return redirect(f"/ui/login?next={quote('/ui/' + path)}", code=303)
    except Exception as exc:
        return _error(ui, exc)


def _error(ui: UI, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return ui.render("error.html", exc.code, status=exc.code, title=exc.name, message=exc.description)
    if isinstance(exc, CarepathError):
        name, message = type(exc).__name__, exc.message
    elif isinstance(exc, RemoteError) and exc.exc_type in STATUS_BY_ERROR:
        name, message = exc.exc_type, parse_message(exc.value).get("message", "")
    elif isinstance(exc, UnknownService):
        return ui.render("error.html", 503, status=503, title="Unavailable",
                         message="A service needed for this page is not running.")
    else:
        log.exception("unexpected error while serving a page")
        return ui.render("error.html", 500, status=500, title="Error", message="Something went wrong.")
    status = STATUS_BY_ERROR.get(name, 400)
    if isinstance(exc, Forbidden):
        message = message or "Your role may not see this page."
    return ui.render("error.html", status, status=status, title=name, message=message)
