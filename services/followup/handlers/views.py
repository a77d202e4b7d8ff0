"""Records as JSON-ready dicts (through the output schemas)."""
from sqlalchemy import select

from services.followup import schemas
from services.followup.domain import checkups as rules
from services.followup.domain.schedule import appointment
from services.followup.models import Checkup, Escalation, Guidance, Image, Plan, ReviewTask
from services.followup.settings import Settings

FINDINGS = ("stoma_condition", "pain_score", "infection_signs", "activity_level", "implant_stability")


def checkup(c: Checkup, plan: Plan, s: Settings) -> dict:
    local, clinic = appointment(c.due_on, s.checkup_local_time, plan.time_zone, s.clinic_time_zone)
    findings = {name: getattr(c, name) for name in FINDINGS} if c.status == rules.DONE else None
    concerning = rules.findings_of_concern(rules.Findings(**findings)) if findings else []
    return schemas.CheckupOut().dump(dict(
        vars(c), local_start=local.isoformat(), clinic_start=clinic.isoformat(),
        findings=findings, concerning=concerning))


def checkups(session, plan: Plan | None, s: Settings) -> list[dict]:
    if plan is None:
        return []
    rows = session.scalars(select(Checkup).where(Checkup.plan_id == plan.id)
                           .order_by(Checkup.due_on, Checkup.misses))
    return [checkup(c, plan, s) for c in rows]


def guidance(session, journey_id: str) -> list[dict]:
    rows = session.scalars(select(Guidance).where(Guidance.journey_id == journey_id)
                           .order_by(Guidance.advice, Guidance.activity))
    return schemas.GuidanceOut(many=True).dump(rows)


def plan(session, journey_id: str) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.journey_id == journey_id))


def record(session, patient, s: Settings) -> dict:
    """The whole follow-up file of one patient (specialist view)."""
    jid = patient.journey_id
    the_plan = plan(session, jid)
    by_journey = lambda model: select(model).where(model.journey_id == jid)  # noqa: E731
    return {
        "journey_id": jid,
        "preferences": preferences(patient, the_plan, s),
        "plan": None if the_plan is None else {
            "id": the_plan.id, "surgery_date": the_plan.surgery_date.isoformat(),
            "time_zone": the_plan.time_zone, "time_zone_assumed": the_plan.time_zone_assumed},
        "checkups": checkups(session, the_plan, s),
        "images": schemas.ImageOut(many=True).dump(
            session.scalars(by_journey(Image).order_by(Image.uploaded_at))),
        "reviews": schemas.ReviewOut(many=True).dump(
            session.scalars(by_journey(ReviewTask).order_by(ReviewTask.due_on))),
        "escalations": schemas.EscalationOut(many=True).dump(
            session.scalars(by_journey(Escalation).order_by(Escalation.act_by))),
        "guidance": guidance(session, jid),
    }


def preferences(patient, the_plan: Plan | None, s: Settings) -> dict:
    channel = patient.channel or s.default_channel
    return {"channel": channel,
            "video_app": patient.video_app if patient.channel else s.default_video_app,
            "time_zone": the_plan.time_zone if the_plan else patient.time_zone}
