"""My consents: what the patient agreed to (the text's version and language, when, through which form),
and a button to withdraw the consent to process their health data, or to marketing mail. Withdrawing
goes to enquiries as the patient's own act (channel `patient_portal`), which announces it to every
stage: the health data consent stops the journey; marketing stops marketing mail only."""
from werkzeug.utils import redirect

from services.gateway.adapters.portal import N_, portal_page
from shared.contracts.api.enquiries.consents import WITHDRAWABLE
from shared.errors import Invalid
from shared.i18n import formats

HOME = "/p/consent"
PURPOSE_WORDS = {"privacy": N_("How the clinic handles your personal data (privacy statement)"),
                 "health_data": N_("The clinic may process your health data for your treatment"),
                 "marketing": N_("News and offers from the clinic by email")}
CHANNEL_WORDS = {"web_form": N_("on the enquiry form"), "patient_portal": N_("on this portal"),
                 "staff": N_("through the clinic")}


@portal_page("consent", action=N_("see the consents they gave"), menu=N_("My consents"), order=85)
def consents(ui):
    """Each consent as given, and whether it was withdrawn."""
    rows = ui.service.enquiries_rpc.consents(ui.principal.journey_id)
    shown = [dict(row, given_on=formats.day(row["given_at"], ui.language),
                  withdrawn_on=row["withdrawn_at"] and formats.day(row["withdrawn_at"], ui.language),
                  withdrawable=row["purpose"] in WITHDRAWABLE and not row["withdrawn_at"]) for row in rows]
    return ui.render("portal_consent.html", consents=shown, purposes=PURPOSE_WORDS, channels=CHANNEL_WORDS,
                     withdrawn=ui.request.args.get("withdrawn") in WITHDRAWABLE)


@portal_page("consent", action=N_("withdraw a consent"), methods=("POST",))
def withdraw_consent(ui):
    """Withdraw one consent (the button's purpose); back to the list, saying it is done."""
    purpose = (ui.request.form.get("purpose") or "")[:20]
    if purpose not in WITHDRAWABLE:
        raise Invalid("choose a consent to withdraw", fields={"purpose": list(WITHDRAWABLE)})
    ui.service.enquiries_rpc.withdraw_consent(ui.principal.journey_id,
                                              {"purpose": purpose, "channel": "patient_portal"})
    return redirect(f"{HOME}?withdrawn={purpose}", code=303)
