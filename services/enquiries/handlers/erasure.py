"""The right to erasure: an enquirer who never became a patient is forgotten; a patient's record is kept."""
from sqlalchemy import null, select, update

from services.enquiries.models import Enquiry, Prescreen, QuestionnaireResponse, ScreeningStep
from shared.erasure import RETAINED, confirm_erasure

# Everything that identifies the enquirer or is written about them in their own words or staff's.
PERSONAL = ("name", "email", "phone", "date_of_birth", "prosthesis_complaints", "other_conditions",
            "fingerprint", "dedupe_bucket", "decision_note", "passport_given_names",
            "passport_surname", "nationality", "second_opinion_note")


def erase_personal_data(uow, clock, event) -> None:
    """Answer an erasure request for the event's journey with one erasure_confirmed."""
    with uow:
        enquiry = uow.session.scalar(select(Enquiry).where(Enquiry.journey_id == event.journey_id)
                                     .with_for_update())
        if enquiry is not None and enquiry.status == "accepted":
            confirm_erasure(uow, event, erased=False, retained_reason=RETAINED)
            return
        if enquiry is not None:
            _erase(uow.session, enquiry, clock.now())
            uow.cancel_timers(journey_id=event.journey_id)  # nothing falls due for someone forgotten
        confirm_erasure(uow, event, erased=True)


def _erase(session, enquiry: Enquiry, now) -> None:
    for column in PERSONAL:
        setattr(enquiry, column, None)
    enquiry.erased_at = now
    session.execute(update(Prescreen).where(Prescreen.enquiry_id == enquiry.id).values(reason=None))
    session.execute(update(ScreeningStep).where(ScreeningStep.enquiry_id == enquiry.id).values(reason=None))
    session.execute(update(QuestionnaireResponse).where(QuestionnaireResponse.enquiry_id == enquiry.id)
                    .values(answers=null()))
