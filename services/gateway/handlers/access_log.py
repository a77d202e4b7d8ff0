"""Writes the access log: who touched which patient's data, when, and how it ended."""

from sqlalchemy import insert, select

from services.gateway.domain.roles import ADMIN
from services.gateway.models import AccessLogEntry
from shared.clock import aware, real_now


def record(uow, *, principal, journey_id, action, method, path, outcome, status,
           on_behalf_of=None, detail=None) -> None:
    with uow:
        uow.one_statement()   # one insert: no transaction of its own (a record view, every page)
        uow.session.execute(insert(AccessLogEntry), [_entry(principal, journey_id, action, method, path,
                                                            outcome, status, on_behalf_of, detail)])


def record_reads(uow, *, principal, journey_ids, action, method, path, detail=None) -> None:
    """One allowed read per patient of a list (a board page, search results), in one transaction:
    a list that shows who they are is a read of each one's record."""
    rows = [_entry(principal, journey_id, action, method, path, "allowed", 200, None, detail)
            for journey_id in journey_ids]
    if rows:
        with uow:
            uow.one_statement()   # one multi-row insert for the page: every entry or none
            uow.session.execute(insert(AccessLogEntry), rows)


def record_search(uow, *, principal, query, journey_ids, action, method, path) -> None:
    """A search of patients: one entry with what was searched for, and a read of each patient it showed
    (NEN 7513), in one transaction. The query is personal data: here, and never in the application log."""
    rows = [_entry(principal, None, action, method, path, "allowed", 200, None, query)]
    rows += [_entry(principal, journey_id, f"{action}_result", method, path, "allowed", 200, None,
                    "shown in search results") for journey_id in journey_ids]
    with uow:
        uow.one_statement()   # one multi-row insert: every entry or none
        uow.session.execute(insert(AccessLogEntry), rows)


def _entry(principal, journey_id, action, method, path, outcome, status, on_behalf_of, detail) -> dict:
    return dict(
        at=real_now(),
        actor=principal.actor if principal else "anonymous",
        role=principal.role if principal else "anonymous",
        on_behalf_of=on_behalf_of, journey_id=journey_id, action=action[:120],
        method=method[:10], path=path[:300], outcome=outcome, status=status,
        credential=f"link:{principal.credential}" if principal and principal.credential else None,
        detail=detail[:200] if detail else None)


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
