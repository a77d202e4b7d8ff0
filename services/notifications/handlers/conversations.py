"""Messages with the care team: the patient writes to a role, staff of that role answer, each side
reads the other's. A message and its announcement (`care_message_posted`: ids and roles, never the
text) commit together; the reply's "a message is waiting" mail follows from that event
(domain/messages.py). Unread patient messages are their role's task list."""
import base64
import binascii
import hashlib
import uuid

from sqlalchemy import delete, func, select, update

from services.notifications.domain import conversations as rules
from services.notifications.models import CareAttachment, CareMessage
from shared import files
from shared.clock import aware
from shared.contracts.notifications import CareMessagePosted
from shared.errors import NotFound


def post_patient_message(uow, clock, limits: rules.Limits, journey_id: str, form: dict) -> dict:
    """The patient's message to one role of the care team, with its files checked by their content."""
    role = rules.check_addressed(form["addressed_role"])
    return _post(uow, clock, limits, journey_id, form, rules.PATIENT, addressed_role=role)


def post_staff_reply(uow, clock, limits: rules.Limits, journey_id: str, form: dict, role: str) -> dict:
    """A reply of the care team as `role`; it answers the patient's unread messages to that role."""
    rules.check_answering(role)
    return _post(uow, clock, limits, journey_id, form, rules.STAFF, author_role=role)


def _post(uow, clock, limits, journey_id, form, author, addressed_role=None, author_role=None) -> dict:
    text = rules.clean_text(form["text"])
    rules.check_message(text, len(form["attachments"]), limits)
    contents = [_checked(item["content_base64"], limits.max_attachment_bytes) for item in form["attachments"]]
    now = clock.now()
    with uow:
        message = CareMessage(id=str(uuid.uuid4()), journey_id=journey_id, author=author,
                              addressed_role=addressed_role, author_role=author_role,
                              posted_by=uow.actor or "unknown", text=text, posted_at=now)
        uow.session.add(message)
        uow.session.flush()
        for position, (data, media_type) in enumerate(contents):
            uow.session.add(CareAttachment(id=str(uuid.uuid4()), message_id=message.id, journey_id=journey_id,
                                           position=position, media_type=media_type, size_bytes=len(data),
                                           sha256=hashlib.sha256(data).hexdigest(), content=data))
        if author == rules.STAFF:
            _mark(uow, journey_id, rules.PATIENT, now, uow.actor or "unknown", addressed_role=author_role)
        uow.emit(CareMessagePosted, {"message_id": message.id, "author": author,
                                     "addressed_role": addressed_role, "author_role": author_role,
                                     "attachments": len(contents)}, journey_id)
        uow.session.flush()
        return _view(message, _attachments(uow.session, [message.id]))


def _checked(content_b64: str, max_bytes: int) -> tuple[bytes, str]:
    if len(content_b64) > (max_bytes // 3 + 1) * 4:
        raise files.refuse("the file is larger than the limit", "attachments", max_bytes=max_bytes)
    try:
        data = base64.b64decode(content_b64, validate=True)
    except (binascii.Error, ValueError):
        raise files.refuse("the file is not valid base64", "attachments") from None
    return data, files.inspect_picture_or_document(data, max_bytes, "attachments")


def list_thread(uow, limits: rules.Limits, journey_id: str) -> dict:
    """The journey's thread, oldest first, and what a message may carry (staff read it; nothing is
    marked)."""
    with uow:
        return _thread(uow.session, limits, journey_id)


def open_as_patient(uow, clock, limits: rules.Limits, journey_id: str) -> dict:
    """The patient opens their thread: shown as it was, then the care team's replies are read."""
    with uow:
        thread = _thread(uow.session, limits, journey_id)
        _mark(uow, journey_id, rules.STAFF, clock.now(), uow.actor or f"patient:{journey_id}")
        return thread


def mark_read(uow, clock, journey_id: str, message_id: str, role: str) -> dict:
    """Staff of the addressed role have read the patient's message (it leaves their task list)."""
    with uow:
        message = uow.session.get(CareMessage, message_id, with_for_update=True)
        if message is None or message.journey_id != journey_id:
            raise NotFound("there is no such message in this patient's thread")
        rules.check_marking_read(message.author, message.addressed_role, role)
        if message.read_at is None:
            message.read_at, message.read_by = clock.now(), uow.actor or "unknown"
        return _view(message, _attachments(uow.session, [message.id]))


def unread_for_role(uow, role: str) -> list[dict]:
    """The task list of a role: patients' messages to it no one has read yet, the oldest first."""
    counts = (select(CareAttachment.message_id, func.count().label("n")).group_by(CareAttachment.message_id)
              .subquery())
    query = (select(CareMessage, func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.message_id == CareMessage.id)
             .where(CareMessage.author == rules.PATIENT, CareMessage.addressed_role == role,
                    CareMessage.read_at.is_(None))
             .order_by(CareMessage.posted_at, CareMessage.id))
    with uow:
        return [{"journey_id": m.journey_id, "message_id": m.id, "addressed_role": m.addressed_role,
                 "posted_at": aware(m.posted_at), "attachments": n} for m, n in uow.session.execute(query)]


def attachment(uow, journey_id: str, attachment_id: str) -> dict:
    """One attachment of the journey's thread, as it was sent (never another journey's)."""
    with uow:
        found = uow.session.get(CareAttachment, attachment_id)
        if found is None or found.journey_id != journey_id:
            raise NotFound("there is no such attachment in this patient's thread")
        return dict(_attachment_view(found), journey_id=journey_id,
                    content_base64=base64.b64encode(found.content).decode("ascii"))


def erase(uow, journey_id: str) -> int:
    """Delete the journey's thread and its attachments (inside the erasure's unit of work)."""
    uow.session.execute(delete(CareAttachment).where(CareAttachment.journey_id == journey_id))
    return uow.session.execute(delete(CareMessage).where(CareMessage.journey_id == journey_id)).rowcount


def _mark(uow, journey_id: str, author: str, now, reader: str, addressed_role: str | None = None) -> None:
    query = update(CareMessage).where(CareMessage.journey_id == journey_id, CareMessage.author == author,
                                      CareMessage.read_at.is_(None))
    if addressed_role is not None:
        query = query.where(CareMessage.addressed_role == addressed_role)
    uow.session.execute(query.values(read_at=now, read_by=reader))


def _thread(session, limits: rules.Limits, journey_id: str) -> dict:
    messages = list(session.scalars(select(CareMessage).where(CareMessage.journey_id == journey_id)
                                    .order_by(CareMessage.posted_at, CareMessage.id)))
    attached = _attachments(session, [m.id for m in messages])
    return {"journey_id": journey_id, "messages": [_view(m, attached) for m in messages],
            "limits": {"max_text_chars": limits.max_text_chars,
                       "max_attachment_bytes": limits.max_attachment_bytes,
                       "max_attachments": limits.max_attachments, "accepted": list(rules.ATTACHMENT_KINDS)}}


def _attachments(session, message_ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    if not message_ids:
        return found
    query = (select(CareAttachment.id, CareAttachment.message_id, CareAttachment.media_type,
                    CareAttachment.size_bytes).where(CareAttachment.message_id.in_(message_ids))
             .order_by(CareAttachment.position))
    for row in session.execute(query):
        found.setdefault(row.message_id, []).append(_attachment_view(row))
    return found


def _attachment_view(row) -> dict:
    return {"id": row.id, "media_type": row.media_type, "size_bytes": row.size_bytes,
            "filename": rules.attachment_name(row.media_type)}


def _view(message: CareMessage, attached: dict[str, list[dict]]) -> dict:
    return {"id": message.id, "journey_id": message.journey_id, "author": message.author,
            "addressed_role": message.addressed_role, "author_role": message.author_role,
            "posted_by": message.posted_by, "text": message.text, "posted_at": aware(message.posted_at),
            "read_at": aware(message.read_at), "attachments": attached.get(message.id, [])}
