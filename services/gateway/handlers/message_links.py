"""Personal links for the messages the clinic sends (notifications asks, over RPC, at send time).

Issued and recorded exactly as a staff member's are (handlers/patient_links.py), with
`notifications` as the issuer, so staff see them, and withdrawing a journey's links ends them
too. The link is a journey link to the patient's own page, where the questionnaire, the payment
and the uploads are (a link for the care team's messages, or for the questionnaire, opens that page);
it is returned to the caller only and never logged.
"""
from datetime import timedelta

import jwt

from services.gateway.handlers.patient_links import issue_link
from services.gateway.models import PatientLink
from shared.clock import aware, real_now
from shared.config import section

ISSUER = "notifications"
# purposes whose link opens one portal page (pages/patient.py LANDINGS)
OPENS = {"messages": "messages", "questionnaire": "questionnaire"}


def issue_for_message(uow, config: dict, journey_id: str, purpose: str) -> dict:
    gateway = section(config, "GATEWAY", public_url="http://127.0.0.1:8000", patient_link_days=14)
    days = int(gateway["patient_link_days"])
    if purpose == "questionnaire":
        enquiries = section(config, "ENQUIRIES", questionnaire_link_valid_days=14)
        days = int(enquiries["questionnaire_link_valid_days"])
    link = issue_link(uow, config["AUTH"]["token_secret"], journey_id, ISSUER, days * 86400)
    base = str(gateway["public_url"]).rstrip("/")
    expires_at = real_now() + timedelta(days=days)
    opens = f"&to={OPENS[purpose]}" if purpose in OPENS else ""
    return {"url": f"{base}/ui/from-email?token={link['token']}{opens}", "expires_at": expires_at}


def expired_emailed_link(uow, secret: str, token: str) -> str | None:
    """The journey of an emailed link that is genuine and only expired (not withdrawn, not forged,
    not a staff-issued one); None otherwise. Its patient may have a new one sent to their address."""
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False,
                                                                        "require": ["exp", "jti"]})
    except jwt.InvalidTokenError:
        return None
    with uow:
        link = uow.session.get(PatientLink, str(claims["jti"]))
        if (link is None or link.issued_by != ISSUER or link.revoked_at is not None
                or link.journey_id != claims.get("journey_id") or aware(link.expires_at) > real_now()):
            return None
        return link.journey_id
