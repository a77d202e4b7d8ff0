"""Report a problem: a short form that followup turns into a complication for the specialist, escalated
as one staff enter; the answer tells the patient, in plain words, what to do now if it is urgent."""
import re

from werkzeug.utils import redirect

from services.gateway.adapters.errors import classify
from services.gateway.adapters.portal import N_, portal_page
from shared.config import section
from shared.contracts.api.followup import PROBLEMS, SYMPTOMS
from shared.errors import NotFound
from shared.i18n import formats

HOME = "/p/problems"
_WHOLE = re.compile(r"\d{1,2}")


def clinic_phone(config: dict) -> str:
    """The number a patient calls: the clinic's, as its emails give it."""
    clinic = section(config, "NOTIFICATIONS", clinic={}).get("clinic") or {}
    return str(clinic.get("phone") or "")


def _reports(ui) -> list[dict]:
    return ui.service.followup_rpc.problem_reports(ui.principal.journey_id)["reports"]


@portal_page("problems", action=N_("see the problems they reported"), menu=N_("Report a problem"), order=80)
def problems(ui):
    """The form, and the problems reported before with whether the clinic has acted on them."""
    return _form(ui, _reports(ui))


@portal_page("problems", action=N_("record a problem they have"), methods=("POST",))
def report_problem(ui):
    """Report one; then its page, which says what to do now."""
    journey = ui.principal.journey_id
    sent = read_report(ui.request.form)
    try:
        report = ui.service.followup_rpc.report_problem(journey, sent)
    except Exception as exc:
        failure = classify(exc)
        if failure.status != 422:
            raise
        ui.log_access(journey, "portal_report_problem_refused")
        return _form(ui, _reports(ui), sent=sent, problems=failure.details.get("fields", {}), code=422)
    return redirect(f"{HOME}/{report['id']}", code=303)


@portal_page("problems/<report_id>", action=N_("see a problem they reported"))
def reported_problem(ui, report_id):
    found = [r for r in _reports(ui) if r["id"] == report_id[:36]]
    if not found:
        raise NotFound("this report is not in your file")
    return ui.render("portal_problem_reported.html", report=found[0], phone=clinic_phone(ui.config),
                     act_by=formats.day(found[0]["escalation"]["act_by"], ui.language))


def _form(ui, earlier: list, sent: dict | None = None, problems: dict | None = None, code: int = 200):
    earlier = [dict(r, day=formats.day(r["reported_at"], ui.language)) for r in earlier]
    return ui.render("portal_problems.html", code, earlier=earlier, sent=sent or {"symptoms": []},
                     problems=problems or {}, kinds=PROBLEMS, symptoms=SYMPTOMS,
                     phone=clinic_phone(ui.config))


def read_report(form) -> dict:
    """The form as the report's contract takes it; what cannot be read is passed on for the service to
    name beside its field."""
    pain = (form.get("pain_score") or "").strip()
    return {"problem": (form.get("problem") or "")[:40],
            "symptoms": [s[:40] for s in form.getlist("symptoms")][:len(SYMPTOMS)],
            "pain_score": int(pain) if _WHOLE.fullmatch(pain) else (pain[:10] or None),
            "started_on": (form.get("started_on") or "").strip()[:10] or None,
            "note": (form.get("note") or "").strip()[:2100] or None}
