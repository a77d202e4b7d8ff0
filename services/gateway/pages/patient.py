"""The patient's own pages, opened from their personal link: plain words, nothing internal."""
from werkzeug.utils import redirect

from services.gateway.auth import read_token
from services.gateway.roles import PATIENT
from services.gateway.routes.journey import access_entries
from services.gateway.ui import PATIENT_COOKIE, page
from shared.errors import Unauthorized


@page("patient")
def open_link(ui):
    """The personal link: its token moves into a cookie, and out of the address bar."""
    token = ui.request.args.get("token", "")
    principal = read_token(ui.config["AUTH"]["token_secret"], f"Bearer {token}")
    if principal.role != PATIENT:
        raise Unauthorized("this is not a personal link")
    return ui.set_cookie(redirect("/ui/my-journey", code=303), PATIENT_COOKIE, token, 14 * 86400)


def _patient(ui):
    principal = ui.principal(PATIENT_COOKIE)
    if principal.role != PATIENT:
        raise Unauthorized("this is not a personal link")
    return principal


@page("my-journey")
def my_journey(ui):
    principal = _patient(ui)
    view = ui.service.journey_rpc.patient_view(principal.journey_id)
    ui.log_access(principal, principal.journey_id, "ui_my_journey")
    return ui.render("patient.html", view=view)


@page("my-journey/access-log")
def my_access_log(ui):
    principal = _patient(ui)
    ui.log_access(principal, principal.journey_id, "ui_my_access_log")
    return ui.render("access_log.html", staff=False, back="/ui/my-journey",
                     entries=access_entries(ui.service, principal, principal.journey_id))
