"""Facts from other stages, and the follow-up plan made from them (exactly once)."""
from sqlalchemy import select

from services.followup.domain import guidance, schedule
from services.followup.handlers import deadlines, new_id, views
from services.followup.models import Checkup, Guidance, Patient, Plan
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import FollowupPlanned
from shared.errors import NotFound
from shared.rows import locked_get_or_create


def patient_of(session, journey_id: str, create: bool = False) -> Patient:
    """The journey's follow-up facts; `create` (from events) makes the row and locks it, so the
    handlers of one journey's events take turns and the plan is made exactly once."""
    if create:
        return locked_get_or_create(session, Patient, journey_id)
    patient = session.get(Patient, journey_id)
    if patient is None:
        raise NotFound("no follow-up record for this journey", journey_id=journey_id)
    return patient


def record_patient_details(uow, s: Settings, event) -> None:
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


def record_surgery_date(uow, clock: ClinicClock, s: Settings, event) -> None:
    """Check-ups count from the day of surgery."""
    with uow:
        patient = patient_of(uow.session, event.journey_id, create=True)
        patient.surgery_date = event.payload["performed_on"]
        _plan_once(uow, clock, s, patient)


def record_flight_home(uow, clock: ClinicClock, s: Settings, event) -> None:
    """The patient flies home: follow-up starts (once the surgery date is known too)."""
    with uow:
        patient = patient_of(uow.session, event.journey_id, create=True)
        patient.rehab_completed_on = event.payload["completed_on"]
        _plan_once(uow, clock, s, patient)


def _plan_once(uow, clock: ClinicClock, s: Settings, patient: Patient) -> None:
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
                time_zone=zone, time_zone_assumed=assumed, created_at=clock.now())
    uow.session.add(plan)
    uow.session.flush()  # check-ups refer to it (no ORM relationship to order the inserts)
    channel, video_app = views.preferences(patient, None, s)["channel"], _video_app(patient, s)
    for item in planned.checkups:
        checkup = Checkup(id=new_id(), plan_id=plan.id, journey_id=plan.journey_id, label=item.label,
                          due_on=item.due_on, channel=channel, video_app=video_app,
                          status="planned", misses=0, flagged=False)
        uow.session.add(checkup)
        deadlines.arm_checkup(uow, clock, s, checkup)
    _default_guidance(uow.session, s, patient)
    uow.emit(FollowupPlanned, {"plan_id": plan.id, "checkup_dates": [c.due_on for c in planned.checkups],
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

