"""The access log for an auditor: verify its chain, export it, and blank personal detail on erasure."""
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import func, select, update

from services.gateway.domain import audit_chain
from services.gateway.handlers.access_log import SHOWN_IN_SEARCH
from services.gateway.models import AccessLogEntry, AccessLogHead
from shared.clock import aware

FIELDS = (*audit_chain.CHAINED, "detail", "detail_nonce", "prev_hash", "hash")
BATCH = 5000


def verify(sessions) -> dict:
    """Every entry altered or missing, named. `sessions()` opens a transaction (Store.session for the
    command, `in_transaction(uow)` for the API); pages by id, each its own short transaction, so
    writers are not held up meanwhile."""
    with sessions() as session:
        head = session.get(AccessLogHead, 1)
        head_id, head_hash = head.last_id, head.last_hash
    count, findings = audit_chain.verify(_walk(sessions, head_id), head_id, head_hash)
    return {"entries": count, "last_id": head_id, "intact": not findings,
            "findings": [{"entry_id": f.entry_id, "problem": f.problem, "message": f.sentence()}
                         for f in findings]}


@contextmanager
def in_transaction(uow):
    with uow:
        yield uow.session


def _walk(sessions, up_to: int):
    after = 0
    while True:
        with sessions() as session:
            rows = session.execute(select(*[getattr(AccessLogEntry, name) for name in FIELDS])
                                   .where(AccessLogEntry.id > after, AccessLogEntry.id <= up_to)
                                   .order_by(AccessLogEntry.id).limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            yield dict(row._mapping)
        after = rows[-1].id


def export(uow, *, journey_id: str | None, since: datetime | None, until: datetime | None,
           limit: int) -> list[dict]:
    """The entries of one patient and/or a period, oldest first, with their links in the chain."""
    query = select(AccessLogEntry).order_by(AccessLogEntry.id).limit(limit)
    if journey_id:
        query = query.where(AccessLogEntry.journey_id == journey_id)
    if since:
        query = query.where(AccessLogEntry.at >= since)
    if until:
        query = query.where(AccessLogEntry.at < until)
    with uow:
        rows = [{name: getattr(row, name) for name in (*FIELDS, "detail_digest")}
                for row in uow.session.scalars(query)]
    for row in rows:
        row["at"] = aware(row["at"])
    return rows


def erase_personal_detail(uow, journey_id: str) -> int:
    """Blanks the searches that showed this patient (their terms may be the patient's name, email or
    date of birth): the detail and its nonce go, the digest the chain covers stays. How many."""
    with uow:
        shown = uow.session.execute(select(AccessLogEntry.id, AccessLogEntry.actor, AccessLogEntry.action)
                                    .where(AccessLogEntry.journey_id == journey_id,
                                           AccessLogEntry.detail == SHOWN_IN_SEARCH)).all()
        searches = set()
        for result_id, actor, action in shown:
            # a search and its results are appended together, the search first
            searches.add(uow.session.scalar(
                select(func.max(AccessLogEntry.id)).where(
                    AccessLogEntry.id < result_id, AccessLogEntry.actor == actor,
                    AccessLogEntry.journey_id.is_(None),
                    AccessLogEntry.action == action.removesuffix("_result"))))
        searches.discard(None)
        if not searches:
            return 0
        return uow.session.execute(update(AccessLogEntry).where(
            AccessLogEntry.id.in_(searches), AccessLogEntry.detail.is_not(None))
            .values(detail=None, detail_nonce=None)).rowcount
