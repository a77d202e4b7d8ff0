"""Find a patient (/ui/search): by name, email, date of birth or journey id, for the roles that may see
who a patient is. The search is in the access log with what was searched for, each patient shown as a
read of their record, and a record opened from the results says so (NEN 7513)."""
import math

from services.gateway.adapters.errors import MalformedRequest
from services.gateway.adapters.pages.staff import STALL_WORDS, page_number
from services.gateway.adapters.routes.patients import find_patients, log_search
from services.gateway.adapters.ui import page
from services.gateway.domain.roles import NAME_READERS
from shared.errors import sentence
from shared.i18n import N_

PER_PAGE = 20


@page("search", roles=NAME_READERS, action=N_("list patients found by name, email or date of birth"))
def search(ui):
    q = ui.request.args.get("q")
    if q is None:   # the empty form
        return ui.render("search.html", q="", answer=None)
    try:
        answer = find_patients(ui.service, q, page_number(ui.request.args.get("page"), "the page"), PER_PAGE)
    except MalformedRequest as exc:
        return ui.render("search.html", 400, q=q[:200], answer=None, error=sentence(exc.message))
    log_search(ui.service, ui.principal, ui.request, q, answer, "ui_search")
    return ui.render("search.html", q=q, answer=answer, stall_words=STALL_WORDS,
                     last_page=max(1, math.ceil(answer["total"] / PER_PAGE)))
