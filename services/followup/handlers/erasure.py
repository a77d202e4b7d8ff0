"""Answering an erasure request: a medical record is kept, anything else is erased."""
from sqlalchemy import delete, exists, select

from services.followup.models import Guidance, Image, Patient, PatientReference, Plan
from shared.erasure import RETAINED, confirm_erasure


def answer_erasure_request(uow, event) -> None:
    """A follow-up plan or an image is part of the medical record: kept, and said so."""
    jid = event.journey_id
    with uow:
        session = uow.session
        holds_record = session.scalar(select(exists().where(Plan.journey_id == jid))) or \
            session.scalar(select(exists().where(Image.journey_id == jid)))
        if not holds_record:
            for model in (Guidance, PatientReference, Patient):
                session.execute(delete(model).where(model.journey_id == jid))
        confirm_erasure(uow, event, erased=not holds_record,
                        retained_reason=RETAINED if holds_record else None)
