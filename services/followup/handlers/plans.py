"""Facts from other stages, the follow-up plan (made once), and the patient's preferences."""
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.followup import schemas
from services.followup.domain import guidance, schedule
from services.followup.handlers import new_id, now, views
from services.followup.models import Checkup, Guidance, Patient, Plan
from services.followup.settings import Settings
from shared.errors import NotFound


def patient_of(session, journey_id: str, create: bool = False) -> Patient:
    """The journey's follow-up facts; `create` (from events) makes the row and locks it, so the
    handlers of one journey's events take turns and the plan is made exactly once."""
    if create:
        insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(Patient).values(journey_id=journey_id).on_conflict_do_nothing())
    patient = session.get(Patient, journey_id, with_for_update=create or None)
    if patient is None:
        raise NotFound("no follow-up record for this journey", journey_id=journey_id)
    return patient


def on_patient_accepted(uow, s: Settings, event) -> None:
    """Remember where the patient lives (their time zone) and the clinic's reference."""
    with uow:
        patient = patient_of(uow.session, event.journey_id, create=True)
        patient.enquiry_id = event.payload["enquiry_id"]
        patient.country = event.payload["country"]
        patient.language = event.payload["preferred_language"]
        plan = views.plan(uow.session, event.journey_id)
        if plan is not None and plan.time_zone_assumed and not patient.time_zone:
            zone, assumed = schedule.time_zone_for(patient.country, s.time_zones, s.default_time_zone)
            plan.time_zone, plan.time_zone_assumed = zone, assumed


def on_surgery_performed(uow, s: Settings, event) -> None:
    """Check-ups count from the day of surgery."""
    with uow:
        patient = patient_of(uow.session, event.journey_id, create=True)
        patient.surgery_date = event.payload["performed_on"]
        _plan_once(uow, s, patient)


def on_rehab_completed(uow, s: Settings, event) -> None:
    """The patient flies home: follow-up starts (once the surgery date is known too)."""
    with uow:
        patient = patient_of(uow.session, event.journey_id, create=True)
        patient.rehab_completed_on = event.payload["completed_on"]
        _plan_once(uow, s, patient)


def _plan_once(uow, s: Settings, patient: Patient) -> None:
    if patient.surgery_date is None or patient.rehab_completed_on is None:
        return  # the other fact has not arrived yet; its handler plans
    uow.session.flush()
    if views.plan(uow.session, patient.journey_id) is not None:
        return
    planned = schedule.plan_checkups(patient.surgery_date, patient.rehab_completed_on,
                                     s.checkups, s.yearly_for_years)
    zone, assumed = ((patient.time_zone, False) if patient.time_zone else
                     schedule.time_zone_for(patient.country, s.time_zones, s.default_time_zone))
    plan = Plan(id=new_id(), journey_id=patient.journey_id, surgery_date=patient.surgery_date,
                time_zone=zone, time_zone_assumed=assumed, created_at=now())
    uow.session.add(plan)
    uow.session.flush()  # check-ups refer to it (no ORM relationship to order the inserts)
    channel, video_app = views.preferences(patient, None, s)["channel"], _video_app(patient, s)
    for item in planned.checkups:
        uow.session.add(Checkup(id=new_id(), plan_id=plan.id, journey_id=plan.journey_id, label=item.label,
                                due_on=item.due_on, channel=channel, video_app=video_app,
                                status="planned", misses=0, flagged=False))
    _default_guidance(uow.session, s, patient)
    uow.emit("followup_planned", {"plan_id": plan.id, "checkup_dates": [c.due_on for c in planned.checkups],
                                  "channel": channel, "time_zone": zone,
                                  "skipped_checkups": planned.skipped}, plan.journey_id)


def _video_app(patient: Patient, s: Settings) -> str | None:
    return patient.video_app if patient.channel else (
        s.default_video_app if s.default_channel == "video" else None)


def _default_guidance(session, s: Settings, patient: Patient) -> None:
    existing = set(session.scalars(
        select(Guidance.activity).where(Guidance.journey_id == patient.journey_id)))
    for advice in guidance.default_guidance(patient.surgery_date, s.allowed, s.discouraged,
                                            s.not_before_months):
        if advice.activity not in existing:  # a specialist's own advice stands
            session.add(Guidance(journey_id=patient.journey_id, activity=advice.activity,
                                 advice=advice.advice, not_before=advice.not_before, set_by="clinic rules"))


def set_preferences(uow, s: Settings, journey_id: str, data: dict) -> dict:
    """The patient's channel (video app) and time zone; future planned check-ups follow."""
    data = schemas.load(schemas.PreferencesIn, data)
    schedule.check_channel(data["channel"], data["video_app"])
    if data["time_zone"]:
        schedule.check_time_zone(data["time_zone"])
    with uow:
        patient = patient_of(uow.session, journey_id)
        patient.channel, patient.video_app = data["channel"], data["video_app"]
        plan = views.plan(uow.session, journey_id)
        if data["time_zone"]:
            patient.time_zone = data["time_zone"]
            if plan is not None:
                plan.time_zone, plan.time_zone_assumed = data["time_zone"], False
        if plan is not None:
            for checkup in uow.session.scalars(select(Checkup).where(
                    Checkup.plan_id == plan.id, Checkup.status == "planned")):
                checkup.channel, checkup.video_app = data["channel"], data["video_app"]
        return schedule_view(uow.session, s, patient)


def get_schedule(uow, s: Settings, journey_id: str) -> dict:
    with uow:
        return schedule_view(uow.session, s, patient_of(uow.session, journey_id))


def get_record(uow, s: Settings, journey_id: str) -> dict:
    with uow:
        return views.record(uow.session, patient_of(uow.session, journey_id), s)


def schedule_view(session, s: Settings, patient: Patient) -> dict:
    """What the patient sees: their check-ups in their own time, and the activity advice."""
    plan = views.plan(session, patient.journey_id)
    return {"journey_id": patient.journey_id, "preferences": views.preferences(patient, plan, s),
            "checkups": views.checkups(session, plan, s),
            "guidance": views.guidance(session, patient.journey_id)}
