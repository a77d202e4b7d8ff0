"""A new personal link, asked for by email address: where an expired, unknown, forged or withdrawn link
lands (/p/new-link), and what the portal's "this link has expired" page offers.

The answer is the same sentence whether or not the address is known, and comes as fast: the page hands
the address to enquiries (which owns addresses) without waiting (`call_async`); enquiries finds the
address's newest active journey and has notifications email its new link, at most
NOTIFICATIONS.new_links_per_day a day. The address is never logged, kept or put in an event.

Limits (the gateway's token buckets, per process): per client address, a request beyond them is a 429
that says to wait (it tells only that this client asked often, nothing about any address); per email
address (kept as a keyed hash), a request beyond them gets the same answer as any other and is dropped,
as a 429 there would tell that someone asked for that address lately.
"""
import hashlib
import hmac
import math

from marshmallow import ValidationError

from services.gateway.adapters.portal import N_, frame, remember_language, say
from services.gateway.adapters.ui import LANGUAGE_COOKIE, PORTAL_PATH, page
from services.gateway.domain.roles import PUBLIC
from shared import i18n
from shared.config import section
from shared.contracts.api.enquiries.link_requests import LinkRequest

PATH = f"{PORTAL_PATH}/new-link"
HOUR = 3600.0
LIMITS = {"new_link_requests_per_hour": 10,       # per client address
          "new_link_requests_per_address_per_hour": 3}   # per email address asked for
SENT = N_("If this address is one we know, we have sent a new link to it.")
NOT_AN_ADDRESS = N_("Please give an email address, such as name@example.org.")
WAIT = N_("You have asked for new links many times. Please try again in %(minutes)s minutes.")


@page(PATH[1:], roles=PUBLIC, action=N_("ask for a new personal link"), methods=("GET", "POST"))
def new_link(ui):
    _choose_language(ui)
    ui.context["frame"] = dict(frame(ui), menu=[])   # no session: nothing of the portal to go to
    if ui.request.method == "GET":
        return remember_language(ui, ui.render("portal_new_link.html"))
    return remember_language(ui, _asked(ui))


def _asked(ui):
    limits = section(ui.config, "GATEWAY", **LIMITS)
    wait = ui.service.limiter.wait("new-link", ui.client,
                                   int(limits["new_link_requests_per_hour"]), HOUR)
    if wait:
        minutes = max(1, math.ceil(wait / 60))
        response = ui.render("portal_new_link.html", 429, error=say(ui, WAIT, minutes=minutes))
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    try:
        email = LinkRequest().load({"email": ui.request.form.get("email", "")[:300]})["email"]
    except ValidationError:
        return ui.render("portal_new_link.html", 422, error=say(ui, NOT_AN_ADDRESS))
    if not ui.service.limiter.wait("new-link-address", _keyed(ui, email),
                                   int(limits["new_link_requests_per_address_per_hour"]), HOUR):
        ui.service.enquiries_rpc.request_patient_link.call_async(email)   # not waited for
    return ui.render("portal_new_link.html", sent=True)


def _keyed(ui, email: str) -> str:
    """The address as the limiter keeps it: a keyed hash, never the address."""
    key = ui.config["AUTH"]["token_secret"].encode()
    return hmac.new(key, b"new-link:" + email.encode(), hashlib.sha256).hexdigest()[:32]


def _choose_language(ui) -> None:
    """No session, so no enquiry to ask: the switch's choice, the kept one, else the browser's."""
    asked, kept = ui.request.args.get("lang"), ui.request.cookies.get(LANGUAGE_COOKIE)
    if asked in i18n.LANGUAGES:
        ui.language, ui.context["keep_language"] = asked, asked != kept
    elif kept in i18n.LANGUAGES:
        ui.language = kept
    else:
        ui.language = ui.request.accept_languages.best_match(i18n.LANGUAGES) or i18n.DEFAULT
