"""Consent as a record: given with the enquiry (the text's version and language, when, which form),
read by staff and the patient, and withdrawn through the staff API or the patient portal.

Withdrawing the consent to process health data (or to the privacy statement) stops the enquiry's
own processing (no screening step or decision: `require_consent`) and its timers, and is announced
as `consent_withdrawn`, which every stage honours. Marketing consent is separate: withdrawing it
stops marketing mail only.
"""
from sqlalchemy import select

from services.enquiries.handlers.common import enquiry_for
from services.enquiries.models import Consent, Enquiry
from shared.contracts.enquiries import PROCESSING_CONSENTS, ConsentWithdrawn
from shared.errors import Conflict

PROCESSING = PROCESSING_CONSENTS   # without these, nothing about the person may go on


def record_consents(session, enquiry: Enquiry, *, channel: str, version: str, language: str | None,
                    at) -> None:
    """One record per consent the enquiry carries (inside the use case that stores the enquiry)."""
    for purpose in ("privacy", "health_data", "marketing"):
        if getattr(enquiry, f"{purpose}_consent"):
            session.add(Consent(enquiry_id=enquiry.id, purpose=purpose, text_version=version,
                                language=language or enquiry.preferred_language, channel=channel,
                                given_at=at))


def consents_of(uow, journey_id: str) -> list[dict]:
    """The journey's consents, as given and withdrawn."""
    with uow:
        enquiry = enquiry_for(uow, journey_id)
        return [_view(row) for row in _rows(uow.session, enquiry.id)]


def withdraw_consent(uow, clock, journey_id: str, purpose: str, channel: str) -> dict:
    """Withdraw one consent; a second withdrawal of the same one answers as the first did."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        if enquiry.erased_at is not None:
            raise Conflict("this person's personal data has been erased")
        row = uow.session.scalar(select(Consent).where(Consent.enquiry_id == enquiry.id,
                                                       Consent.purpose == purpose))
        if row is None:
            raise Conflict(f"no {purpose.replace('_', ' ')} consent was given for this journey")
        if row.withdrawn_at is None:
            row.withdrawn_at, row.withdrawn_via = clock.now(), channel
            setattr(enquiry, f"{purpose}_consent", False)
            if purpose in PROCESSING:
                uow.cancel_timers(journey_id=enquiry.journey_id)   # nothing more falls due
            uow.emit(ConsentWithdrawn, {"enquiry_id": enquiry.id, "purpose": purpose, "channel": channel},
                     enquiry.journey_id)
            uow.session.flush()
        return _view(row)


def require_consent(session, enquiry: Enquiry) -> None:
    """A use case that processes the person's data stops once they withdrew their consent."""
    withdrawn = session.scalar(select(Consent.purpose).where(
        Consent.enquiry_id == enquiry.id, Consent.purpose.in_(PROCESSING), Consent.withdrawn_at.is_not(None))
        .limit(1))
    if withdrawn is not None:
        raise Conflict(f"the {withdrawn.replace('_', ' ')} consent was withdrawn: "
                       "this journey does not go on")


def _rows(session, enquiry_id: str) -> list[Consent]:
    return list(session.scalars(select(Consent).where(Consent.enquiry_id == enquiry_id).order_by(Consent.id)))


def _view(row: Consent) -> dict:
    return {"purpose": row.purpose, "text_version": row.text_version, "language": row.language,
            "channel": row.channel, "given_at": row.given_at, "withdrawn_at": row.withdrawn_at,
            "withdrawn_via": row.withdrawn_via}


def copy_consents(session, source: Enquiry, enquiry: Enquiry) -> None:
    """A suitability enquiry a second opinion opened carries the consents given there, as given."""
    for row in _rows(session, source.id):
        if row.withdrawn_at is None:
            session.add(Consent(enquiry_id=enquiry.id, purpose=row.purpose, text_version=row.text_version,
                                language=row.language, channel=row.channel, given_at=row.given_at))
