"""The patient portal's frame: every page under /p/..., for the patient's own journey only.

A page is declared with `portal_page` (the patient role, an action in words, an optional place in the
menu); it renders a template that extends portal_base.html. The frame chooses the reader's language
(the switch's choice, kept in a cookie; else the language the patient gave with their enquiry; else
English), puts the menu and the language switch in every page, and writes the access log entry of
every page the patient opens, as the patient's own access (NEN 7513). The pages never take a journey
id from the address: the session names it, so a link opens only its own patient's pages.

Texts are gettext messages of the kernel's catalogs (shared/i18n, domain `portal`): `{% trans %}` and
`_()` in templates, `N_()` to mark a message in Python and `say(ui, ...)` to read it translated.
"""
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from nameko.exceptions import RemoteError, UnknownService
from werkzeug.wrappers import Response

from services.gateway.adapters.ui import FORM_MAX_BODY, LANGUAGE_COOKIE, PORTAL_PATH, page
from services.gateway.domain.credentials import JOURNEY_SCOPE
from services.gateway.domain.roles import PATIENT
from shared import i18n
from shared.i18n import N_  # the pages mark their messages with it (imported from here or shared.i18n)

LANGUAGE_SECONDS = 365 * 24 * 3600


# The error pages' words (services/gateway/adapters/ui.py), for the portal's error page to translate.
ERROR_WORDS = (N_("This link has expired"), N_("Please ask the clinic for a new personal link."),
               N_("Not allowed"), N_("Not found"), N_("Please check"), N_("Please wait"), N_("Unavailable"),
               N_("Not now"), N_("Bad request"), N_("Too large"), N_("Something went wrong"),
               N_("Something went wrong; the clinic's operators have been told."))


@dataclass(frozen=True)
class MenuItem:
    path: str
    label: str
    order: int


MENU: list[MenuItem] = []


def portal_page(path: str, *, action: str, methods=("GET",), menu: str | None = None, order: int = 50,
                max_body: int = FORM_MAX_BODY, scope: str = JOURNEY_SCOPE):
    """Register `handler(ui, **args)` at /p/<path> for the patient holding the session.

    `action` completes "A patient may not ..." (the refusal's sentence, the route table's rule);
    `menu` (an N_() message) puts the page in the menu, by `order`; `max_body` lets a form with a file
    be larger than a form's 256 KB; `scope` opens the page to a link scoped to it (e.g. the
    questionnaire) as well as to a journey link. Each answer below 400 is access-logged as
    `portal_<handler name>`."""
    def register(handler):
        @wraps(handler)
        def run(ui, **args):
            choose_language(ui)
            ui.context["frame"] = frame(ui)
            response = handler(ui, **args)
            if response.status_code < 400:
                ui.log_access(ui.principal.journey_id, f"portal_{handler.__name__}")
            return remember_language(ui, response)
        page(PORTAL_PATH[1:] + "/" + path, roles=PATIENT, action=action, methods=methods, max_body=max_body,
             scope=scope)(run)
        if menu:
            MENU.append(MenuItem(f"{PORTAL_PATH}/{path}", menu, order))
            MENU.sort(key=lambda item: item.order)
        return run
    return register


def say(ui, message: str, **values) -> str:
    """`message` in the reader's language, with `%(name)s` placeholders filled from `values`."""
    text = i18n.translations(ui.language, "portal").gettext(message)
    return text % values if values else text


def choose_language(ui) -> None:
    asked = ui.request.args.get("lang")
    kept = ui.request.cookies.get(LANGUAGE_COOKIE)
    if asked in i18n.LANGUAGES:
        ui.language, ui.context["keep_language"] = asked, asked != kept
    elif kept in i18n.LANGUAGES:
        ui.language = kept
    else:
        ui.language = i18n.language_of(_preferred_language(ui))
        ui.context["keep_language"] = True


def _preferred_language(ui) -> str | None:
    """The language the patient gave with their enquiry (asked once a session: the cookie keeps it)."""
    try:
        return ui.service.enquiries_rpc.contact_for(ui.principal.journey_id).get("language")
    except Exception:   # enquiries unknown, erased or away: the page still opens, in English
        return None


def remember_language(ui, response: Response) -> Response:
    if ui.context.get("keep_language"):
        response.set_cookie(LANGUAGE_COOKIE, ui.language, max_age=LANGUAGE_SECONDS, path=PORTAL_PATH,
                            httponly=True, samesite="Lax", secure=ui.over_tls)
    return response


def frame(ui) -> dict:
    """What portal_base.html shows around every page: the menu, where we are, the language switch."""
    here = ui.request.path
    return {"menu": [{"href": item.path, "label": item.label, "current": here == item.path} for item in MENU],
            "languages": [{"code": code, "name": i18n.NAMES[code], "current": code == ui.language,
                           "href": _with_language(ui.request, code)} for code in i18n.LANGUAGES],
            "here": here}


def _with_language(request, code: str) -> str:
    """This page in another language: its own query (a payment's return, say) kept, `lang` replaced."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return "?" + urlencode(args + [("lang", code)])


def checkups(ui) -> dict | None:
    """The patient's follow-up schedule (check-ups, channel, time zone), or None before there is one."""
    try:
        return ui.service.followup_rpc.get_schedule(ui.principal.journey_id)
    except RemoteError as exc:
        if exc.exc_type == "NotFound":
            return None
        raise


def time_zone(ui, schedule: dict | None = None) -> str:
    """The patient's time zone as follow-up knows it (from their country), else the clinic's."""
    if schedule is None:
        try:
            schedule = checkups(ui)
        except (RemoteError, UnknownService):   # follow-up away: the clinic's zone, named on the page
            schedule = None
    zone = ((schedule or {}).get("preferences") or {}).get("time_zone")
    return zone or ui.config.get("CLINIC", {}).get("timezone") or "Europe/Amsterdam"


def calendar_file(body: bytes, filename: str) -> Response:
    """An .ics download (RFC 5545), named for the patient's calendar app."""
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
