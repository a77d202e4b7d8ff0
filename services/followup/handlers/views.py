"""What the use cases answer with: plain values, dumped at the edge with the API views
(shared/contracts/api/followup.py)."""
from sqlalchemy import select

from services.followup.domain import checkups as rules
from services.followup.domain.schedule import appointment
from services.followup.models import Checkup, Escalation, Guidance, Image, Plan, ReviewTask
from services.followup.settings import Settings

FINDINGS = ("stoma_condition", "pain_score", "infection_signs", "activity_level", "implant_stability")


def checkup(c: Checkup, plan: Plan, s: Settings) -> dict:
    """A check-up at the patient's and the clinic's time, with what was found (CheckupView)."""
    local, clinic = appointment(c.due_on, s.checkup_local_time, plan.time_zone, s.clinic_time_zone)
    findings = {name: getattr(c, name) for name in FINDINGS} if c.status == rules.DONE else None
    concerning = rules.findings_of_concern(rules.Findings(**findings)) if findings else []
    return dict(vars(c), local_start=local.isoformat(), clinic_start=clinic.isoformat(),
                findings=findings, concerning=concerning)


def checkups(session, plan: Plan | None, s: Settings) -> list[dict]:
    if plan is None:
        return []
    rows = session.scalars(select(Checkup).where(Checkup.plan_id == plan.id)
                           .order_by(Checkup.due_on, Checkup.misses))
    return [checkup(c, plan, s) for c in rows]


def guidance(session, journey_id: str) -> list[Guidance]:
    return list(session.scalars(select(Guidance).where(Guidance.journey_id == journey_id)
                                .order_by(Guidance.advice, Guidance.activity)))


def plan(session, journey_id: str) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.journey_id == journey_id))


def schedule(session, patient, s: Settings) -> dict:
    """What the patient sees: their check-ups in their own time, and the activity advice."""
    the_plan = plan(session, patient.journey_id)
    return {"journey_id": patient.journey_id, "preferences": preferences(patient, the_plan, s),
            "checkups": checkups(session, the_plan, s),
            "guidance": guidance(session, patient.journey_id)}


def record(session, patient, s: Settings) -> dict:
    """The whole follow-up file of one patient (specialist view)."""
    jid = patient.journey_id
    the_plan = plan(session, jid)
    by_journey = lambda model: select(model).where(model.journey_id == jid)  # noqa: E731
    return {
        "journey_id": jid,
        "preferences": preferences(patient, the_plan, s),
        "plan": the_plan,
        "checkups": checkups(session, the_plan, s),
        "images": list(session.scalars(by_journey(Image).order_by(Image.uploaded_at))),
        "reviews": list(session.scalars(by_journey(ReviewTask).order_by(ReviewTask.due_on))),
        "escalations": list(session.scalars(by_journey(Escalation).order_by(Escalation.act_by))),
        "guidance": guidance(session, jid),
    }


def preferences(patient, the_plan: Plan | None, s: Settings) -> dict:
    channel = patient.channel or s.default_channel
    return {"channel": channel,
            "video_app": patient.video_app if patient.channel else s.default_video_app,
            "time_zone": the_plan.time_zone if the_plan else patient.time_zone}
