"""Pay the deposit and the balance: the amounts and due dates, and the provider's hosted checkout.

The button posts to us; payments makes (or reuses) the checkout session and we send the browser
on to the provider's page (303). The provider sends the payer back to /p/pay/back (success) or
/p/pay/cancelled. Both are public pages that show nothing of the patient: coming back from the
provider's site is a cross-site navigation, on which the browser does not send the session
cookie (SameSite=Strict). /p/pay/back sends the browser on to /p/pay/status from our own page, so
that request carries the cookie; the status page says "payment received" only once payments has
applied the provider's webhook, and until then checks again every few seconds, a few dozen times.
"""
import re
from urllib.parse import urlsplit

from werkzeug.utils import redirect

from services.gateway.adapters.errors import classify
from services.gateway.adapters.portal import N_, portal_page, say
from services.gateway.adapters.ui import LANGUAGE_COOKIE, PORTAL_PATH, page
from services.gateway.domain.roles import PUBLIC
from shared import i18n
from shared.errors import NotFound
from shared.i18n import formats

PAY = f"{PORTAL_PATH}/pay"
SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,200}")
REFRESH_SECONDS, REFRESH_TIMES = 5, 24     # about two minutes of checking, then the patient decides
PART_NAMES = {"deposit": N_("Deposit"), "balance": N_("Balance")}
# What payments may answer when a part cannot be paid now (services/payments/domain/checkout.py,
# handlers/checkout.py): shown in the reader's language (a unit test keeps this list complete).
PAYMENTS_SAYS = (
    N_("This invoice was cancelled; there is nothing more to pay."), N_("The deposit is paid."),
    N_("The balance is paid."), N_("Please pay the deposit first; the balance can be paid after it."),
    N_("Your bank is reviewing one of your payments; the clinic will contact you before anything more "
       "is paid."),
    N_("The payment provider cannot be reached just now; nothing was charged. Please try again in a few "
       "minutes."),
    N_("There is no invoice for this journey yet."), N_("There is no such payment for this journey."),
)
DESCRIPTIONS = {"deposit": N_("Deposit for your treatment"), "balance": N_("Balance for your treatment")}


@portal_page("pay", action=N_("see what there is to pay"), menu=N_("Payments"), order=30)
def payments(ui):
    try:
        overview = ui.service.payments_rpc.payment_overview(ui.principal.journey_id)
    except Exception as exc:
        if classify(exc).status != 404:
            raise
        return ui.render("portal_pay.html", parts=[], cancelled=False)   # not accepted yet: no invoice
    ui.context["form_targets"] = tuple(filter(None, [_provider_origin(ui)]))   # the form's 303 goes there
    return ui.render("portal_pay.html", parts=[_shown(ui, part, overview["currency"])
                                               for part in overview["parts"]],
                     cancelled=overview["cancelled"])


@portal_page("pay", action=N_("pay the deposit or the balance"), methods=("POST",))
def pay(ui):
    part = ui.request.form.get("part", "")
    if part not in PART_NAMES:
        raise NotFound("There is no such payment for this journey.")
    base = ui.config["GATEWAY"]["public_url"].rstrip("/")
    started = ui.service.payments_rpc.start_checkout(ui.principal.journey_id, {
        "part": part, "language": ui.language, "description": say(ui, DESCRIPTIONS[part]),
        "success_url": f"{base}{PAY}/back?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"{base}{PAY}/cancelled"})
    if started["status"] == "open" and started["url"]:
        return redirect(started["url"], code=303)
    return redirect(f"{PAY}/status?session_id={started['checkout_session_id']}", code=303)


@page(f"{PORTAL_PATH[1:]}/pay/back", roles=PUBLIC, action=N_("come back from the payment provider"))
def back_from_provider(ui):
    _reader_language(ui)
    return ui.render("portal_pay_back.html", status_url=f"{PAY}/status?session_id={_session_id(ui)}")


@page(f"{PORTAL_PATH[1:]}/pay/cancelled", roles=PUBLIC, action=N_("come back from a cancelled payment"))
def cancelled_at_provider(ui):
    _reader_language(ui)
    return ui.render("portal_pay_cancelled.html")


@portal_page("pay/status", action=N_("see whether a payment has been received"))
def payment_status(ui):
    session_id = _session_id(ui)
    status = ui.service.payments_rpc.checkout_status(ui.principal.journey_id, session_id)
    checks = _count(ui.request.args.get("check"))
    again = None
    if status["state"] == "waiting" and checks < REFRESH_TIMES:
        again = f"{PAY}/status?session_id={session_id}&check={checks + 1}"
    return ui.render("portal_pay_status.html", state=status["state"], again=again, seconds=REFRESH_SECONDS,
                     check_now=f"{PAY}/status?session_id={session_id}",
                     part=status["part"],
                     amount=formats.money(status["amount_cents"], status["currency"], ui.language))


def _shown(ui, part: dict, currency: str) -> dict:
    return {"part": part["part"], "name": PART_NAMES[part["part"]],
            "amount": formats.money(part["amount_cents"], currency, ui.language),
            "outstanding": formats.money(part["outstanding_cents"], currency, ui.language),
            "partly_paid": 0 < part["outstanding_cents"] < part["amount_cents"],
            "due": formats.day(part["due"], ui.language) if part["due"] else None,
            "paid": part["paid"], "payable": part["payable"], "why_not": part["not_payable_because"]}


def _reader_language(ui) -> None:
    """The public return pages speak the language the portal's switch kept (a Lax cookie, so it comes)."""
    ui.language = i18n.language_of(ui.request.cookies.get(LANGUAGE_COOKIE))


def _session_id(ui) -> str:
    found = ui.request.args.get("session_id", "")
    if not SESSION_ID.fullmatch(found):
        raise NotFound("There is no such payment for this journey.")
    return found


def _count(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 4 else 0


def _provider_origin(ui) -> str:
    """Where the provider's checkout pages are (the pay form's redirect goes there): PAYMENTS.checkout_origin,
    else Stripe's, else the sandbox's own address."""
    chosen = ui.config.get("PAYMENTS") or {}
    found = urlsplit(chosen.get("checkout_origin") or ("https://checkout.stripe.com"
                     if chosen.get("provider") == "stripe" else chosen.get("provider_url", "")))
    return f"{found.scheme}://{found.netloc}" if found.scheme in ("http", "https") else ""
