"""What waits for staff in notifications (My work): patients' messages to a role that no one has read yet,
the oldest first, and emails every retry failed to send, for an administrator. Each kind is one query
(shared/work.py), built once; ids, codes and times only, never a message's text or an address."""
from functools import cache

from sqlalchemy import String, bindparam, func, select

from services.notifications.domain import conversations as rules
from services.notifications.models import PARKED, CareAttachment, CareMessage, Message
from shared import work
from shared.errors import Invalid

KINDS = ("messages_unread", "mail_parked")


def queues(uow, query: dict) -> dict:
    """The kinds asked for, each counted beside its first `limit` items."""
    work.check_kinds(query["kinds"], KINDS)
    if "messages_unread" in query["kinds"] and query["role"] not in rules.ROLES:
        raise Invalid("say whose messages", fields={"role": [f"one of {', '.join(rules.ROLES)}"]})
    with uow:
        return {"queues": [work.queue(uow.session, kind, *_statement(kind, query["limit"]),
                                      {"role": query["role"]}) for kind in query["kinds"]]}


@cache
def _statement(kind: str, limit: int) -> tuple:
    query, item = _unread() if kind == "messages_unread" else _parked()
    return work.counted(query, limit), item


def _unread():
    files = select(func.count()).where(CareAttachment.message_id == CareMessage.id).scalar_subquery()
    query = (select(CareMessage.journey_id, CareMessage.id, CareMessage.posted_at, files.label("files"))
             .where(CareMessage.author == rules.PATIENT, CareMessage.read_at.is_(None),
                    CareMessage.addressed_role == bindparam("role", type_=String()))
             .order_by(CareMessage.posted_at, CareMessage.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, count=r.files or None,
                                         since=r.posted_at)


def _parked():
    query = (select(Message.journey_id, Message.id, Message.template, Message.attempts, Message.created_at)
             .where(Message.status == PARKED).order_by(Message.created_at, Message.id))
    return query, lambda r, p: work.item(r.journey_id, reference=r.id, code=r.template, count=r.attempts,
                                         since=r.created_at)
