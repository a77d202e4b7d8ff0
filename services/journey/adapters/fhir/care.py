"""Appointments, care plans (treatment and tele-follow-up), and check-up communications."""
from datetime import date, datetime, time, timedelta, tzinfo

from services.journey.domain.record import Record
from services.journey.domain.status import checkups_done


def _day(on: date, timezone: tzinfo) -> tuple[str, str]:
    """Dates are known to the day only: the appointment spans that day in the clinic's time."""
    start = datetime.combine(on, time.min, timezone)
    return start.isoformat(), (start + timedelta(days=1) - timedelta(seconds=1)).isoformat()


def _appointment(b, subject: dict, on: date, description: str, status: str, *key: str) -> None:
    start, end = _day(on, b.timezone)
    b.add({"resourceType": "Appointment", "status": status, "description": description,
           "start": start, "end": end,
           "participant": [{"actor": subject, "status": "accepted"}]}, "appointment", *key)


def appointments(b, r: Record, subject: dict) -> None:
    if r.surgery:
        plan, status = r.surgery, "cancelled" if r.cancelled else "booked"
        _appointment(b, subject, plan["preop_check_date"], "Pre-operative medical check",
                     "fulfilled" if r.preop_fit is not None else status, "preop")
        _appointment(b, subject, plan["surgery_date"], "Osseointegration surgery",
                     "fulfilled" if r.performed else status, "surgery")
    planned = (r.followup or {}).get("checkup_dates", [])
    done = checkups_done(r)
    for number, on in enumerate(planned):
        status = "fulfilled" if number < done else "booked"
        _appointment(b, subject, on, "Tele-follow-up check-up (video call or telephone)", status,
                     "checkup", on.isoformat())


def _activity(description: str, status: str, start: date, end: date | None = None) -> dict:
    period = {"start": start.isoformat()} | ({"end": end.isoformat()} if end else {})
    return {"detail": {"status": status, "description": description, "scheduledPeriod": period}}


def care_plans(b, r: Record, subject: dict) -> None:
    if r.surgery:
        rehab = r.rehab or {}
        status = "revoked" if r.cancelled else "completed" if rehab.get("completed_on") else "active"
        activities = [_activity("Osseointegration surgery", "completed" if r.performed else
                                "cancelled" if r.cancelled else "scheduled", r.surgery["surgery_date"])]
        if rehab.get("start_date"):
            state = ("completed" if rehab.get("completed_on") else "cancelled" if rehab.get("withdrawn_on")
                     else "in-progress")
            activities.append(_activity("Rehabilitation: loading the implant, prosthesis fitting, gait "
                                        "training", state, rehab["start_date"], rehab["planned_end"]))
        b.add({"resourceType": "CarePlan", "status": status, "intent": "plan", "subject": subject,
               "title": "Osseointegration treatment and rehabilitation",
               "period": {"start": r.surgery["arrival_by"].isoformat(),
                          "end": r.surgery["departure_date"].isoformat()},
               "activity": activities}, "treatment")
    if r.followup:
        done = checkups_done(r)
        activities = [_activity("Check-up by video call or telephone",
                                "completed" if i < done else "scheduled", on)
                      for i, on in enumerate(r.followup["checkup_dates"])]
        b.add({"resourceType": "CarePlan", "status": "active", "intent": "plan", "subject": subject,
               "title": "Tele-follow-up", "activity": activities}, "followup")


def communications(b, r: Record, subject: dict) -> None:
    for checkup in r.checkups:
        status = "completed" if checkup.get("outcome", "done") == "done" else "not-done"
        b.add({"resourceType": "Communication", "status": status, "subject": subject,
               "sent": checkup["at"].isoformat(), "category": [{"text": "Tele-follow-up check-up"}],
               "payload": [{"contentString": f"Check-up: {checkup['outcome']}"}]},
              "checkup", checkup["checkup_id"])
