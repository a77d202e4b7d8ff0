"""Requests from patients to move a check-up: kept for the follow-up staff until the check-up is
done, missed or cancelled (then the request has had its answer). Asking again updates the request."""
import uuid

from sqlalchemy import select

from services.followup.domain import checkups as rules
from services.followup.domain.moves import check_movable
from services.followup.handlers.plans import patient_of
from services.followup.models import Checkup, CheckupMoveRequest
from shared.errors import NotFound


def request_move(uow, clock, journey_id: str, checkup_id: str, data: dict) -> dict:
    with uow:
        patient_of(uow.session, journey_id)
        checkup = uow.session.get(Checkup, checkup_id)
        if checkup is None or checkup.journey_id != journey_id:
            raise NotFound("no such check-up in this journey", checkup_id=checkup_id)
        check_movable(checkup.status, checkup.due_on, clock.today())
        request = uow.session.scalar(select(CheckupMoveRequest)
                                     .where(CheckupMoveRequest.checkup_id == checkup_id))
        if request is None:
            request = CheckupMoveRequest(id=str(uuid.uuid4()), journey_id=journey_id, checkup_id=checkup_id)
            uow.session.add(request)
        request.reason, request.preferred = data["reason"], data.get("preferred") or None
        request.requested_at = clock.now()
        uow.session.flush()
        return _view(request, checkup)


def open_requests(uow, journey_id: str | None = None) -> list[dict]:
    """The requests whose check-up is still planned, oldest first (all journeys, or one)."""
    query = (select(CheckupMoveRequest, Checkup).join(Checkup, Checkup.id == CheckupMoveRequest.checkup_id)
             .where(Checkup.status == rules.PLANNED).order_by(CheckupMoveRequest.requested_at))
    if journey_id:
        query = query.where(CheckupMoveRequest.journey_id == journey_id)
    with uow:
        return [_view(request, checkup) for request, checkup in uow.session.execute(query)]


def _view(request: CheckupMoveRequest, checkup: Checkup) -> dict:
    return {"id": request.id, "journey_id": request.journey_id, "checkup_id": checkup.id,
            "label": checkup.label, "due_on": checkup.due_on, "reason": request.reason,
            "preferred": request.preferred, "requested_at": request.requested_at}
