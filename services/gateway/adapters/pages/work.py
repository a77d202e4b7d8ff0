"""My work (/ui/work): the landing page after sign-in, everything waiting for the signed-in role across the
services, one section per kind, overdue first, then the oldest; each item links to where it is done.
A service that cannot be asked just now leaves its sections saying so; the page still shows. Every
journey listed is a read of its record in the access log, as on the board."""
from datetime import datetime, tzinfo

from services.gateway.adapters.ui import page
from services.gateway.domain.roles import ALL_STAFF
from services.gateway.handlers.work import inbox
from shared.clock import clinic_clock
from shared.i18n import N_


@page("work", roles=ALL_STAFF, action=N_("see the work waiting for a staff role"))
def work(ui):
    shown = inbox(ui.service, ui.principal.role)
    ui.log_reads(shown["journey_ids"], "ui_work", detail="with names" if shown["names_shown"] else None)
    zone = clinic_clock(ui.config).timezone
    return ui.render("work.html", inbox=shown, role_words=ui.principal.role.replace("_", " "),
                     when=lambda value: _when(value, zone))


def _when(value: str | None, zone: tzinfo) -> str | None:
    """A day as it is; an instant to the minute, on the clinic's clock."""
    if not value or "T" not in value:
        return value
    return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")
