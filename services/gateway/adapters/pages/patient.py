"""The patient's personal link, and the addresses of the pages it opened before the portal.

The link (emailed, valid for days) is exchanged at once for a short session in an HttpOnly
cookie kept for the portal (/p), and the browser is sent on to a clean address: the link's
token stays out of the address bar, the history and every log.
"""
from werkzeug.utils import redirect

from services.gateway.adapters.ui import PATIENT_COOKIE, PORTAL_PATH, page
from services.gateway.domain.credentials import LINK, PATIENT_SESSION, issue_token
from services.gateway.domain.roles import PATIENT, PUBLIC
from services.gateway.handlers import access_log
from services.gateway.handlers.principals import identify
from shared.errors import Unauthorized
from shared.i18n import N_

SESSION_SECONDS = 2 * 3600
NEW_LINK = f"{PORTAL_PATH}/new-link"   # where a link that does not stand goes (pages/portal_new_link.py)
LANDING = f"{PORTAL_PATH}/journey"
SCOPED_LANDINGS = {"questionnaire": f"{PORTAL_PATH}/questionnaire"}   # a link for one part opens that part
# `?to=`: an emailed link that opens one page
LANDINGS = {"messages": f"{PORTAL_PATH}/messages", "questionnaire": f"{PORTAL_PATH}/questionnaire"}


@page("patient", roles=PUBLIC, action=N_("open a personal link"))
def open_link(ui):
    """An expired, unknown, forged or withdrawn link goes on to the new-link page (the refusal logged)."""
    try:
        return exchange(ui)
    except Unauthorized:
        return refused(ui)


def refused(ui, action: str = "ui_open_link"):
    access_log.record(ui.service.uow, principal=None, journey_id=None, action=action,
                      method=ui.request.method, path=ui.request.path, outcome="denied", status=401)
    return redirect(NEW_LINK, code=303)


def exchange(ui):
    """The link for a session cookie and a clean address; Unauthorized for a link that does not stand."""
    token = ui.request.args.get("token", "")[:2000]
    link = identify(ui.service.uow, ui.config["AUTH"]["token_secret"], f"Bearer {token}", kinds=(LINK,))
    session = issue_token(ui.config["AUTH"]["token_secret"], link.subject, PATIENT, SESSION_SECONDS,
                          journey_id=link.journey_id, kind=PATIENT_SESSION, scope=link.scope,
                          token_id=link.credential)
    landing = SCOPED_LANDINGS.get(link.scope) or LANDINGS.get(ui.request.args.get("to", ""), LANDING)
    return ui.set_cookie(redirect(landing, code=303), PATIENT_COOKIE, session, SESSION_SECONDS,
                         path=PORTAL_PATH)


# Bookmarks of the pages before the portal: a redirect only; the portal checks who is asking.
@page("my-journey", roles=PUBLIC, action=N_("open the journey page"))
def my_journey(ui):
    return redirect(LANDING, code=301)


@page("my-journey/access-log", roles=PUBLIC, action=N_("open the access log page"))
def my_access_log(ui):
    return redirect(f"{PORTAL_PATH}/access-log", code=301)
