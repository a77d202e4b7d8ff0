"""Requests from patients to move a check-up: kept for the follow-up staff until the check-up is
moved, done, missed or cancelled (then the request has had its answer). Asking again updates the
request. The staff move a check-up still to come to another day (checkup_moved): its missed-window
timer moves with it, and notifications moves the patient's reminder and sends the new date."""
import uuid

from sqlalchemy import select

from services.followup.domain import checkups as rules
from services.followup.domain.moves import check_movable, check_new_date
from services.followup.handlers import deadlines, views
from services.followup.handlers.plans import patient_of
from services.followup.models import Checkup, CheckupMoveRequest, Plan
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import CheckupMoved
from shared.errors import Conflict, NotFound


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


def move_checkup(uow, clock: ClinicClock, s: Settings, journey_id: str, checkup_id: str,
                 data: dict) -> dict:
    """Staff move a planned check-up to another day still to come, answering the patient's request."""
    today = clock.today()
    with uow:
        checkup = uow.session.get(Checkup, checkup_id)
        if checkup is None or checkup.journey_id != journey_id:
            raise NotFound("no such check-up in this journey", checkup_id=checkup_id)
        if checkup.status != rules.PLANNED:
            raise Conflict(f"this check-up is {checkup.status}, so it cannot be moved")
        if checkup.due_on < today:
            raise Conflict("this check-up's date has passed: record it as missed, and the next attempt "
                           "is booked")
        check_new_date(checkup.due_on, data["due_on"], today)
        previous, checkup.due_on = checkup.due_on, data["due_on"]
        request = uow.session.scalar(select(CheckupMoveRequest)
                                     .where(CheckupMoveRequest.checkup_id == checkup_id))
        if request is not None:
            uow.session.delete(request)
        deadlines.arm_checkup(uow, clock, s, checkup)   # same key: the missed-window timer moves
        plan = uow.session.get(Plan, checkup.plan_id)
        uow.emit(CheckupMoved, {"checkup_id": checkup.id, "plan_id": plan.id, "previous_due_on": previous,
                                "due_on": checkup.due_on, "reason": data["reason"],
                                "time_zone": plan.time_zone, "patient_asked": request is not None},
                 journey_id)
        uow.session.flush()
        return views.checkup(checkup, plan, s)


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
