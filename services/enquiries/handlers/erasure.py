"""The right to erasure, and the purge when a record's retention ends.

An enquirer who never became a patient is forgotten on request: who they are, what they wrote, and
their health facts (diabetes, smoking, weight, amputation level ...): an erased person's health is
as personal as their name. A patient's record, and the screening of someone declined after it, are
kept for their retention period instead; a purge (that period ended) erases them the same way.
What stays is the skeleton: the enquiry's kind, status, dates, country and language, the consents
given (no identity left to tie them to), and the codes of outcomes and decisions.
"""
from sqlalchemy import delete, select, update

from services.enquiries.models import (
    Appointment,
    Enquiry,
    Prescreen,
    QuestionnaireResponse,
    ScreeningStep,
    kernel,
)
from shared.erasure import RETAINED, confirm_erasure, is_purge, scrub_kernel

# Everything that identifies the enquirer or is written about them in their own words or staff's.
PERSONAL = ("name", "email", "phone", "date_of_birth", "prosthesis_complaints", "other_conditions",
            "fingerprint", "dedupe_bucket", "decision_note", "passport_given_names",
            "passport_surname", "nationality", "second_opinion_note")
# Health facts: special-category data, erased with the rest (never kept as "no longer personal").
HEALTH = ("amputation_level", "amputation_side", "years_since_amputation", "smoking_status",
          "smoking_stopped_on", "diabetes", "circulatory_disease", "body_weight_kg", "preferred_date",
          "decision_reasons")
SCREENING_RETAINED = "clinical screening record kept for the clinic's retention period"


def erase_personal_data(uow, clock, event) -> None:
    """Answer an erasure request for the event's journey with one erasure_confirmed."""
    with uow:
        enquiry = uow.session.scalar(select(Enquiry).where(Enquiry.journey_id == event.journey_id)
                                     .with_for_update())
        if enquiry is not None and not is_purge(event) and (reason := _kept_for(enquiry)):
            confirm_erasure(uow, event, erased=False, retained_reason=reason)
            return
        if enquiry is not None:
            _erase(uow.session, enquiry, clock.now())
            uow.cancel_timers(journey_id=event.journey_id)  # nothing falls due for someone forgotten
        scrub_kernel(uow.session, kernel, event.journey_id)
        confirm_erasure(uow, event, erased=True)


def _kept_for(enquiry: Enquiry) -> str | None:
    if enquiry.status == "accepted":
        return RETAINED
    if enquiry.status == "declined" and enquiry.decision == "declined":   # declined after screening
        return SCREENING_RETAINED
    return None


def _erase(session, enquiry: Enquiry, now) -> None:
    for column in PERSONAL + HEALTH:
        setattr(enquiry, column, None)
    enquiry.erased_at = now
    # The rules that fired name health facts ("diabetes"); the outcome's code stays.
    session.execute(update(Prescreen).where(Prescreen.enquiry_id == enquiry.id)
                    .values(reason=None, rules_fired=[], earliest_surgery_date=None))
    session.execute(update(ScreeningStep).where(ScreeningStep.enquiry_id == enquiry.id).values(reason=None))
    session.execute(delete(QuestionnaireResponse).where(QuestionnaireResponse.enquiry_id == enquiry.id))
    session.execute(delete(Appointment).where(Appointment.enquiry_id == enquiry.id))
