"""Patient links: issued by staff for one journey, expiring, revocable, naming who issued them.

The link itself is only good for opening a short session (pages) or calling the
patient's own routes (API); it never appears in a log (see services/gateway/weblog.py).
"""
import uuid
from datetime import timedelta

from sqlalchemy import select

from services.gateway.domain.credentials import JOURNEY_SCOPE, LINK, issue_token
from services.gateway.domain.roles import PATIENT
from services.gateway.models import PatientLink
from shared.clock import aware, real_now


def issue_link(uow, secret: str, journey_id: str, issued_by: str, ttl_seconds: int,
               scope: str = JOURNEY_SCOPE) -> dict:
    now = real_now()
    link_id = uuid.uuid4().hex
    with uow:
        uow.session.add(PatientLink(id=link_id, journey_id=journey_id, scope=scope, issued_by=issued_by,
                                    issued_at=now, expires_at=now + timedelta(seconds=ttl_seconds)))
    token = issue_token(secret, f"patient:{journey_id}", PATIENT, ttl_seconds, journey_id=journey_id,
                        kind=LINK, scope=scope, token_id=link_id)
    return {"token": token, "expires_in": ttl_seconds, "link_id": link_id, "scope": scope}


def list_links(uow, journey_id: str) -> list[dict]:
    with uow:
        rows = uow.session.scalars(select(PatientLink).where(PatientLink.journey_id == journey_id)
                                   .order_by(PatientLink.issued_at.desc()))
        return [_view(row) for row in rows]


def revoke_links(uow, journey_id: str, revoked_by: str) -> dict:
    """Withdraw every live link of the journey (a new one can be issued afterwards)."""
    now = real_now()
    with uow:
        rows = list(uow.session.scalars(select(PatientLink).where(
            PatientLink.journey_id == journey_id, PatientLink.revoked_at.is_(None)).with_for_update()))
        for row in rows:
            row.revoked_at, row.revoked_by = now, revoked_by
    return {"revoked": len(rows)}


def _view(row: PatientLink) -> dict:
    return {"link_id": row.id, "scope": row.scope, "issued_by": row.issued_by,
            "issued_at": aware(row.issued_at), "expires_at": aware(row.expires_at),
            "revoked_at": aware(row.revoked_at), "revoked_by": row.revoked_by}

