"""The health questions a suitability enquiry opened from a second opinion still needs.

Staff (on the phone with the person) or the person through their own link answer them; the
pre-screen then runs exactly as for an enquiry from the public form.
"""
from services.enquiries.domain import prescreen as rules
from services.enquiries.domain import second_opinion
from services.enquiries.domain.intake import date_problems
from services.enquiries.handlers.common import actor, enquiry_for, require_status
from services.enquiries.handlers.prescreening import applicant, apply_outcome
from services.enquiries.models import Prescreen
from shared.errors import Invalid

FACTS = second_opinion.HEALTH_QUESTIONS + ("smoking_stopped_on", "other_conditions")


def answer_health_questions(uow, settings, clock, journey_id: str, answers: dict) -> Prescreen:
    """Take the answers (those already known may be left out), then pre-screen."""
    today = clock.today()
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_status(enquiry, second_opinion.AWAITING_HEALTH)
        known = {key: getattr(enquiry, key) for key in FACTS} | answers
        if missing := second_opinion.unanswered(known):
            raise Invalid("answer every health question first",
                          fields={key: ["an answer is required"] for key in missing})
        if problems := date_problems(known, today):
            raise Invalid("some answers are not valid", fields=problems)
        for key, value in answers.items():
            setattr(enquiry, key, value)
        outcome = rules.prescreen(applicant(enquiry), today, settings.thresholds)
        return apply_outcome(uow, enquiry, outcome, by=actor(uow), at=clock.now())


def unanswered(enquiry) -> list[str] | None:
    """What is still to answer, while the enquiry waits for it (None otherwise)."""
    if enquiry.status != second_opinion.AWAITING_HEALTH:
        return None
    return second_opinion.unanswered({key: getattr(enquiry, key) for key in FACTS})
