"""Personal links for the messages the clinic sends (notifications asks, over RPC, at send time).

Issued and recorded exactly as a staff member's are (handlers/patient_links.py), with
`notifications` as the issuer, so staff see them, and withdrawing a journey's links ends them
too. The link is a journey link to the patient's own page, where the questionnaire, the payment
and the uploads are; it is returned to the caller only and never logged.
"""
from datetime import timedelta

from services.gateway.handlers.patient_links import issue_link
from shared.clock import real_now
from shared.config import section

ISSUER = "notifications"


def issue_for_message(uow, config: dict, journey_id: str, purpose: str) -> dict:
    gateway = section(config, "GATEWAY", public_url="http://127.0.0.1:8000", patient_link_days=14)
    days = int(gateway["patient_link_days"])
    if purpose == "questionnaire":
        enquiries = section(config, "ENQUIRIES", questionnaire_link_valid_days=14)
        days = int(enquiries["questionnaire_link_valid_days"])
    link = issue_link(uow, config["AUTH"]["token_secret"], journey_id, ISSUER, days * 86400)
    base = str(gateway["public_url"]).rstrip("/")
    expires_at = real_now() + timedelta(days=days)
    return {"url": f"{base}/ui/patient?token={link['token']}", "expires_at": expires_at}
