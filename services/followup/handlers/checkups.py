"""Recording a check-up's outcome: done with findings, missed (rebooked), or cancelled."""
from datetime import date

from services.followup.domain import checkups as rules
from services.followup.handlers import deadlines, new_id, views
from services.followup.models import Checkup, Plan
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import CheckupCompleted
from shared.errors import NotFound


def find_checkup(session, journey_id: str, checkup_id: str) -> Checkup:
    checkup = session.get(Checkup, checkup_id)
    if checkup is None or checkup.journey_id != journey_id:
        raise NotFound("no such check-up for this journey", checkup_id=checkup_id)
    return checkup


def record_checkup(uow, clock: ClinicClock, s: Settings, journey_id: str, checkup_id: str,
                   data: dict) -> dict:
    """Record how a planned check-up went; a miss books the next attempt (flagged when repeated)."""
    findings = rules.Findings(**data["findings"]) if data["findings"] else None
    outcome = data["outcome"]
    today = clock.today()
    with uow:
        checkup = find_checkup(uow.session, journey_id, checkup_id)
        rules.check_outcome(checkup.status, outcome, findings, data["reason_code"])
        checkup.status, checkup.recorded_by = outcome, uow.actor
        checkup.completed_on = data["completed_on"] or today
        checkup.reason_code = data["reason_code"]
        if findings is not None:
            for name, value in vars(findings).items():
                setattr(checkup, name, value)
        rebooked = _rebook(uow.session, s, checkup, today) if outcome == rules.MISSED else None
        deadlines.checkup_recorded(uow, checkup.id)
        if rebooked is not None:
            deadlines.arm_checkup(uow, clock, s, rebooked)
        uow.emit(CheckupCompleted, {
            "checkup_id": checkup.id, "outcome": outcome,
            "flagged": bool(rebooked and rebooked.flagged),
            "rebooked_as": rebooked.id if rebooked else None}, journey_id)
        plan = uow.session.get(Plan, checkup.plan_id)
        return {"checkup": views.checkup(checkup, plan, s),
                "rebooked": views.checkup(rebooked, plan, s) if rebooked else None}


def _rebook(session, s: Settings, missed: Checkup, today: date) -> Checkup:
    booking = rules.rebook_after_miss(missed.due_on, today, missed.misses, s.rebook_after_days,
                                      s.flag_after_misses)
    rebooked = Checkup(id=new_id(), plan_id=missed.plan_id, journey_id=missed.journey_id,
                       label=missed.label, due_on=booking.due_on, channel=missed.channel,
                       video_app=missed.video_app, status=rules.PLANNED, misses=booking.misses,
                       flagged=booking.flagged, rebooked_from=missed.id)
    session.add(rebooked)
    return rebooked
