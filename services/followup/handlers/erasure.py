"""Answering an erasure request: a medical record is kept, anything else is erased; a purge (the
retention period ended) erases the record too, its images in the file store and the PACS included."""
from sqlalchemy import exists, select

from services.followup.models import Base, Image, Plan, kernel
from shared.erasure import RETAINED, confirm_erasure, is_purge, purge_rows, scrub_kernel


def answer_erasure_request(uow, files, event) -> None:
    """A follow-up plan or an image is part of the medical record: kept, and said so, unless purged."""
    jid = event.journey_id
    with uow:
        session = uow.session
        holds_record = session.scalar(select(exists().where(Plan.journey_id == jid))) or \
            session.scalar(select(exists().where(Image.journey_id == jid)))
        if holds_record and not is_purge(event):
            confirm_erasure(uow, event, erased=False, retained_reason=RETAINED)
            return
        stored = _stored_only_here(session, jid)
        purge_rows(session, Base.metadata, jid)
        scrub_kernel(session, kernel, jid)
        confirm_erasure(uow, event, erased=True)
    for location in stored:   # after the commit: a failed removal leaves a file, never a dangling row
        files.remove(location)


def _stored_only_here(session, jid: str) -> list[str]:
    """Where the journey's images are kept, but not those another journey holds too (same bytes)."""
    mine = list(session.execute(select(Image.sha256, Image.location).where(Image.journey_id == jid)))
    shared = set(session.scalars(select(Image.sha256).where(Image.journey_id != jid,
                                                            Image.sha256.in_([m.sha256 for m in mine]))))
    return [location or sha for sha, location in mine if sha not in shared]

