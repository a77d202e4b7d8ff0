"""The patient's questionnaire: opened by staff, saved in parts, resumed, then submitted."""
import json
from dataclasses import asdict
from datetime import timedelta

from services.enquiries.adapters import questionnaires
from services.enquiries.domain import screening as steps
from services.enquiries.domain.questionnaire import answer_problems, unanswered
from services.enquiries.handlers.common import done_steps, enquiry_for, require_status
from services.enquiries.handlers.consents import require_consent
from services.enquiries.handlers.screening import questionnaire_overdue_key, record_step
from services.enquiries.models import QuestionnaireResponse
from shared.contracts.enquiries import QuestionnaireOverdue
from shared.errors import Conflict, Invalid
from shared.rows import locked_get_or_create
from shared.timers import after_day

DRAFT, SUBMITTED = "draft", "submitted"


def open_questionnaire(uow, settings, clock, journey_id: str) -> QuestionnaireResponse:
    """Make the questionnaire ready for the patient (before their personal link is issued)."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_consent(uow.session, enquiry)
        require_status(enquiry, "screening")
        response = _response(uow, settings, clock, enquiry)
        if response.status != SUBMITTED:
            _arm_deadline(uow, settings, clock, enquiry)
        return response


def show_questionnaire(uow, settings, clock, journey_id: str) -> dict:
    """The questions and the answers saved so far (to resume where the patient left off)."""
    with uow:
        enquiry = enquiry_for(uow, journey_id)
        response = uow.session.get(QuestionnaireResponse, enquiry.id)
        if response is None:
            require_status(enquiry, "screening")
            response = QuestionnaireResponse(enquiry_id=enquiry.id, **_blank(settings, clock.now()))
        return _view(response)


def save_answers(uow, settings, clock, journey_id: str, answers: dict) -> dict:
    """Save some answers; each is checked against the definition, and `null` clears one."""
    with uow:
        _, response = _editable(uow, settings, clock, journey_id)
        definition = _definition(response)
        if problems := answer_problems(definition, answers):
            raise Invalid("some answers do not fit their questions", fields=problems)
        merged = {**(response.answers or {}), **answers}
        response.answers = {key: value for key, value in merged.items() if value is not None}
        response.updated_at = clock.now()
        return _view(response)


def submit_questionnaire(uow, settings, clock, journey_id: str) -> dict:
    """Hand in the answers: every required question answered, and the steps before it done."""
    with uow:
        enquiry, response = _editable(uow, settings, clock, journey_id)
        if missing := unanswered(_definition(response), response.answers or {}):
            raise Invalid("answer every required question first",
                          fields={question: ["an answer is required"] for question in missing})
        steps.check_can_complete("questionnaire", done_steps(uow.session, enquiry.id))
        response.status, response.submitted_at = SUBMITTED, clock.now()
        record_step(uow, enquiry, "questionnaire", steps.COMPLETED, response.submitted_at)
        return _view(response)


def _arm_deadline(uow, settings, clock, enquiry) -> None:
    """Not submitted within questionnaire_overdue_days of being opened: a questionnaire_overdue fact
    (opening it again gives the patient the days again; submitting or deciding cancels it)."""
    opened_on = clock.today()
    due_by = opened_on + timedelta(days=settings.questionnaire_overdue_days)
    uow.schedule(QuestionnaireOverdue, {"enquiry_id": enquiry.id, "opened_on": opened_on, "due_by": due_by},
                 enquiry.journey_id, at=after_day(clock, due_by), key=questionnaire_overdue_key(enquiry.id))


def _editable(uow, settings, clock, journey_id: str):
    enquiry = enquiry_for(uow, journey_id, lock=True)
    require_consent(uow.session, enquiry)
    require_status(enquiry, "screening")
    response = _response(uow, settings, clock, enquiry)
    if response.status == SUBMITTED:
        raise Conflict("the questionnaire was already submitted")
    return enquiry, response


def _response(uow, settings, clock, enquiry) -> QuestionnaireResponse:
    """The enquiry's response, begun (blank, in the configured version) if there is none yet."""
    return locked_get_or_create(uow.session, QuestionnaireResponse, enquiry.id,
                                **_blank(settings, clock.now()))


def _blank(settings, at) -> dict:
    return dict(questionnaire_id=settings.questionnaire_id,
                questionnaire_version=settings.questionnaire_version,
                answers={}, status=DRAFT, updated_at=at, submitted_at=None)


def _definition(response: QuestionnaireResponse):
    return questionnaires.load(response.questionnaire_id, response.questionnaire_version)


def _view(response: QuestionnaireResponse) -> dict:
    definition = _definition(response)
    answers = response.answers or {}
    return {"status": response.status, "definition": json.loads(json.dumps(asdict(definition))),
            "answers": answers, "unanswered": unanswered(definition, answers),
            "submitted_at": response.submitted_at}
