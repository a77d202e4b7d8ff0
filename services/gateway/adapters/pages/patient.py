"""The patient's own pages, opened from their personal link: plain words, nothing internal.

The link (emailed, valid for days) is exchanged at once for a short session in an
HttpOnly cookie, and the browser is sent on to a clean address: the link's token
stays out of the address bar, the history and every log.
"""
from werkzeug.utils import redirect

from services.gateway.adapters.ui import PATIENT_COOKIE, page
from services.gateway.domain.credentials import LINK, PATIENT_SESSION, issue_token
from services.gateway.domain.roles import PATIENT, PUBLIC
from services.gateway.handlers.access_log import access_entries
from services.gateway.handlers.principals import identify

SESSION_SECONDS = 2 * 3600


@page("patient", roles=PUBLIC, action="open a personal link")
def open_link(ui):
    token = ui.request.args.get("token", "")[:2000]
    link = identify(ui.service.uow, ui.config["AUTH"]["token_secret"], f"Bearer {token}", kinds=(LINK,))
    session = issue_token(ui.config["AUTH"]["token_secret"], link.subject, PATIENT, SESSION_SECONDS,
                          journey_id=link.journey_id, kind=PATIENT_SESSION, scope=link.scope,
                          token_id=link.credential)
    return ui.set_cookie(redirect("/ui/my-journey", code=303), PATIENT_COOKIE, session, SESSION_SECONDS)


@page("my-journey", roles=PATIENT, action="see this journey")
def my_journey(ui):
    view = ui.service.journey_rpc.patient_view(ui.principal.journey_id)
    ui.log_access(ui.principal.journey_id, "ui_my_journey")
    return ui.render("patient.html", view=view)


@page("my-journey/access-log", roles=PATIENT, action="see who looked at this file")
def my_access_log(ui):
    ui.log_access(ui.principal.journey_id, "ui_my_access_log")
    return ui.render("access_log.html", staff=False, back="/ui/my-journey",
                     entries=access_entries(ui.service.uow, ui.principal, ui.principal.journey_id))
