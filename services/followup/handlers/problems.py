"""A problem the patient reports from home becomes a complication the specialist acts on, escalated by
the same rules as an assessment's concern: the act-by date of its kind, the escalation_overdue
deadline, and complication_reported for every stage that follows the journey."""
from sqlalchemy import select

from services.followup.domain import assessment as rules
from services.followup.domain import problems
from services.followup.handlers import deadlines, new_id
from services.followup.handlers.plans import patient_of
from services.followup.models import Escalation, ProblemReport
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import ComplicationReported

SUBJECT = "patient_report"


def report_problem(uow, clock: ClinicClock, s: Settings, journey_id: str, data: dict) -> dict:
    """Record the report, escalate it, and say what the patient must do now if it is urgent."""
    symptoms = problems.check_report(data["problem"], data["symptoms"], data["pain_score"],
                                     data["started_on"], clock.today())
    urgency = problems.urgency(data["problem"], symptoms, data["pain_score"])
    with uow:
        patient = patient_of(uow.session, journey_id)
        report = ProblemReport(id=new_id(), journey_id=journey_id, problem=data["problem"],
                               symptoms=",".join(symptoms), pain_score=data["pain_score"],
                               started_on=data["started_on"], note=data["note"] or None,
                               urgent=urgency.urgent, advice=urgency.advice,
                               reported_by=uow.actor or "unknown", reported_at=clock.now())
        uow.session.add(report)
        uow.session.flush()
        kind = rules.escalation_kind(problems.complication_of(report.problem), patient.surgery_date,
                                     clock.today())
        escalation = Escalation(id=new_id(), journey_id=journey_id, report_id=report.id, kind=kind,
                                act_by=rules.act_by(kind, clock.today(), s.escalation_days,
                                                    s.default_escalation_days),
                                status="open")
        uow.session.add(escalation)
        deadlines.arm_escalation(uow, clock, escalation)
        uow.emit(ComplicationReported, {"escalation_id": escalation.id, "kind": kind,
                                        "act_by": escalation.act_by, "subject": SUBJECT,
                                        "subject_id": report.id}, journey_id)
        return dict(_view(report, escalation), reasons=list(urgency.reasons))


def problem_reports(uow, journey_id: str) -> dict:
    """The journey's reports, newest first, each with its escalation (the patient's and the specialist's
    list alike)."""
    with uow:
        rows = uow.session.execute(
            select(ProblemReport, Escalation).join(Escalation, Escalation.report_id == ProblemReport.id)
            .where(ProblemReport.journey_id == journey_id)
            .order_by(ProblemReport.reported_at.desc())).all()
        return {"journey_id": journey_id,
                "reports": [_view(report, escalation) for report, escalation in rows]}


def _view(report: ProblemReport, escalation: Escalation) -> dict:
    return dict(vars(report), symptoms=[s for s in report.symptoms.split(",") if s],
                escalation=escalation)
