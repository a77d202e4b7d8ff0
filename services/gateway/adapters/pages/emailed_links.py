"""The personal links in the clinic's emails: opened like any patient link, and when one has only
expired, the patient is told so in plain words and a new one is emailed to them (never shown here:
whoever holds an old link learns nothing and gets nothing but a mail to the patient)."""
from services.gateway.adapters.pages.patient import exchange, refused
from services.gateway.adapters.ui import page
from services.gateway.domain.roles import PUBLIC
from services.gateway.handlers.message_links import expired_emailed_link
from shared.errors import Unauthorized
from shared.i18n import N_


@page("from-email", roles=PUBLIC, action=N_("open a personal link from an email"))
def open_emailed_link(ui):
    try:
        return exchange(ui)
    except Unauthorized:
        token = ui.request.args.get("token", "")[:2000]
        journey = expired_emailed_link(ui.service.uow, ui.config["AUTH"]["token_secret"], token)
        if journey is None:
            return refused(ui, "ui_open_emailed_link")   # unknown, forged or withdrawn: the new-link page
        ui.service.notifications_rpc.renew_link(journey)
        return ui.render("link_renewed.html")
