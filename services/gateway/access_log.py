"""Writes the access log: who touched which patient's data, when, and how it ended."""
from datetime import UTC, datetime

from sqlalchemy import select

from services.gateway.models import AccessLogEntry


def record(uow, *, principal, journey_id, action, method, path, outcome, status,
           on_behalf_of=None) -> None:
    with uow:
        uow.session.add(AccessLogEntry(
            at=datetime.now(UTC),
            actor=principal.actor if principal else "anonymous",
            role=principal.role if principal else "anonymous",
            on_behalf_of=on_behalf_of, journey_id=journey_id, action=action,
            method=method, path=path, outcome=outcome, status=status))


def entries(uow, *, journey_id=None, actor=None, limit=200, offset=0) -> list[AccessLogEntry]:
    query = select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(limit).offset(offset)
    if journey_id:
        query = query.where(AccessLogEntry.journey_id == journey_id)
    if actor:
        query = query.where(AccessLogEntry.actor == actor)
    with uow:
        return list(uow.session.scalars(query))
