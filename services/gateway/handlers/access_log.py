"""Writes the access log: who touched which patient's data, when, and how it ended.

Every write appends to the hash chain (domain/audit_chain.py) under the chain head's row lock, so
concurrent requests take turns and each entry links to the one written just before it."""

from sqlalchemy import insert, select

from services.gateway.domain.audit_chain import chain, seal_detail
from services.gateway.domain.roles import ADMIN, PATIENT
from services.gateway.models import AccessLogEntry, AccessLogHead
from shared.clock import aware, real_now


def record(uow, *, principal, journey_id, action, method, path, outcome, status,
           on_behalf_of=None, detail=None) -> None:
    with uow:
        append(uow.session, [_entry(principal, journey_id, action, method, path, outcome, status,
                                    on_behalf_of, detail)])


def append(session, rows: list[dict]) -> None:
    """Numbers, chains and inserts `rows` in the caller's transaction, after the head it locks."""
    head = session.scalars(select(AccessLogHead).where(AccessLogHead.id == 1).with_for_update()).one()
    head.last_id, head.last_hash = chain(rows, head.last_id, head.last_hash)
    session.execute(insert(AccessLogEntry), rows)   # one statement for a page of patients


def record_reads(uow, *, principal, journey_ids, action, method, path, detail=None) -> None:
    """One allowed read per patient of a list (a board page, search results), in one transaction:
    a list that shows who they are is a read of each one's record."""
    rows = [_entry(principal, journey_id, action, method, path, "allowed", 200, None, detail)
            for journey_id in journey_ids]
    if rows:
        with uow:
            append(uow.session, rows)


def record_search(uow, *, principal, query, journey_ids, action, method, path) -> None:
    """A search of patients: one entry with what was searched for, and a read of each patient it showed
    (NEN 7513), in one transaction. The query is personal data: here, and never in the application log."""
    rows = [_entry(principal, None, action, method, path, "allowed", 200, None, query)]
    rows += [_entry(principal, journey_id, f"{action}_result", method, path, "allowed", 200, None,
                    SHOWN_IN_SEARCH) for journey_id in journey_ids]
    with uow:
        append(uow.session, rows)   # the search's results follow it: erasure/audit find the search so


SHOWN_IN_SEARCH = "shown in search results"


def _entry(principal, journey_id, action, method, path, outcome, status, on_behalf_of, detail) -> dict:
    detail = detail[:200] if detail else None
    nonce, digest = seal_detail(detail)
    return dict(
        at=real_now(),
        actor=principal.actor if principal else "anonymous",
        role=principal.role if principal else "anonymous",
        on_behalf_of=on_behalf_of or _behalf(principal), journey_id=journey_id, action=action[:120],
        method=method[:10], path=path[:300], outcome=outcome, status=status,
        credential=f"link:{principal.credential}" if principal and principal.credential else None,
        detail=detail, detail_nonce=nonce, detail_digest=digest)


def _behalf(principal) -> str | None:
    """Whoever holds a patient's personal link (the patient, or someone helping them) acts for the
    patient: NEN 7513's "on whose behalf"."""
    if principal is not None and principal.role == PATIENT:
        return f"patient:{principal.journey_id}"
    return None


COLUMNS = ("id", "at", "actor", "role", "on_behalf_of", "journey_id", "action", "method", "path",
           "outcome", "status", "credential", "detail")


def entries(uow, *, journey_id=None, actor=None, limit=200, offset=0) -> list[dict]:
    query = select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(limit).offset(offset)
    if journey_id:
        query = query.where(AccessLogEntry.journey_id == journey_id)
    if actor:
        query = query.where(AccessLogEntry.actor == actor)
    with uow:
        rows = [{name: getattr(row, name) for name in COLUMNS} for row in uow.session.scalars(query)]
    for row in rows:
        row["at"] = aware(row["at"])   # every time the API returns carries its offset
    return rows


def access_entries(uow, principal, journey_id: str) -> list[dict]:
    """One patient's entries: a patient sees the role that looked (not who); an auditor sees the id too."""
    rows = entries(uow, journey_id=journey_id, limit=1000)
    return [{"at": row["at"], "actor": row["actor"] if principal.role == ADMIN else None, "role": row["role"],
             "action": row["action"], "outcome": row["outcome"]} for row in rows]
