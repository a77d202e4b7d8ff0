"""A public enquiry comes in: check its dates, spot a resubmission, store, pre-screen, announce."""
import uuid

from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from services.enquiries.domain import prescreen as rules
from services.enquiries.domain.intake import date_problems, dedupe_bucket, fingerprint
from services.enquiries.handlers.common import current_prescreen
from services.enquiries.handlers.consents import record_consents
from services.enquiries.handlers.prescreening import applicant, apply_outcome
from services.enquiries.models import Enquiry
from shared.contracts.enquiries import BrochureRequested, EnquiryReceived, SecondOpinionRequested
from shared.errors import Invalid

COLUMNS = frozenset(column.key for column in inspect(Enquiry).columns)


def submit_enquiry(uow, settings, clock, kind: str, form: dict) -> dict:
    """Record a loaded enquiry form of `kind`; the same form sent again within the window is the
    same journey. The receipt says which journey, and what the pre-screen answered."""
    today, now = clock.today(), clock.now()
    if problems := date_problems(form, today):
        raise Invalid("the enquiry has invalid fields", fields=problems)
    print_ = fingerprint(kind, form)
    since = now - settings.dedupe_window
    try:
        with uow:
            if (earlier := _sent_since(uow.session, print_, since)) is not None:
                return _receipt(uow.session, earlier, duplicate=True)
            enquiry = _record(uow, settings, kind, form, print_, now, today)
            return _receipt(uow.session, enquiry, duplicate=False)
    except IntegrityError:
        with uow:  # the same form, sent at the same moment, won the race
            earlier = _sent_since(uow.session, print_, since)
            if earlier is None:
                raise
            return _receipt(uow.session, earlier, duplicate=True)


def _sent_since(session, print_: str, since) -> Enquiry | None:
    return session.scalar(select(Enquiry).where(Enquiry.fingerprint == print_, Enquiry.received_at >= since)
                          .order_by(Enquiry.received_at).limit(1))


def _record(uow, settings, kind: str, data: dict, print_: str, now, today) -> Enquiry:
    enquiry = Enquiry(id=str(uuid.uuid4()), journey_id=str(uuid.uuid4()), kind=kind, status="received",
                      received_at=now, fingerprint=print_,
                      dedupe_bucket=dedupe_bucket(now, settings.dedupe_window),
                      **{key: value for key, value in data.items() if key in COLUMNS})
    uow.session.add(enquiry)
    uow.session.flush()  # a concurrent twin fails here, before anything is announced
    record_consents(uow.session, enquiry, channel="web_form", at=now, language=data.get("consent_language"),
                    version=data.get("consent_text_version") or settings.consent_text_version)
    journey = enquiry.journey_id
    uow.emit(EnquiryReceived, {"enquiry_id": enquiry.id, "kind": kind, "country": enquiry.country,
                               "preferred_language": enquiry.preferred_language}, journey)
    if kind == "suitability":
        outcome = rules.prescreen(applicant(enquiry), today, settings.thresholds)
        apply_outcome(uow, enquiry, outcome, by="system", at=now)
    elif kind == "brochure":
        uow.emit(BrochureRequested, {"enquiry_id": enquiry.id,
                                     "preferred_language": enquiry.preferred_language}, journey)
    else:
        uow.emit(SecondOpinionRequested, {"enquiry_id": enquiry.id, "preferred_date": enquiry.preferred_date},
                 journey)
    return enquiry


def _receipt(session, enquiry: Enquiry, *, duplicate: bool) -> dict:
    return {"enquiry_id": enquiry.id, "journey_id": enquiry.journey_id, "kind": enquiry.kind,
            "status": enquiry.status, "duplicate": duplicate,
            "prescreen": current_prescreen(session, enquiry.id)}
