"""The patient's follow-up file and schedule, and the preferences that shape the check-ups."""
from sqlalchemy import select

from services.followup.domain import schedule
from services.followup.handlers import views
from services.followup.handlers.plans import patient_of
from services.followup.models import Checkup
from services.followup.settings import Settings


def set_preferences(uow, s: Settings, journey_id: str, data: dict) -> dict:
    """The patient's channel (video app) and time zone; future planned check-ups follow."""
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
        return views.schedule(uow.session, patient, s)


def get_schedule(uow, s: Settings, journey_id: str) -> dict:
    """The check-ups in the patient's own time, and their activity advice."""
    with uow:
        return views.schedule(uow.session, patient_of(uow.session, journey_id), s)


def get_record(uow, s: Settings, journey_id: str) -> dict:
    """The whole follow-up file (specialist view)."""
    with uow:
        return views.record(uow.session, patient_of(uow.session, journey_id), s)
