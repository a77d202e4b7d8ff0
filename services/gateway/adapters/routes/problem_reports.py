"""Problems a patient reports from home (the portal's "Report a problem", or the API): each is a
complication followup escalates as an assessment's concern; the specialist reads them with what the
patient said (shared/contracts/api/followup.py)."""
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ADMIN, PATIENT, SPECIALIST
from shared.contracts.api import followup as api
from shared.edge import dump
from shared.i18n import N_

TAG = "followup"
READERS = {PATIENT, SPECIALIST, ADMIN}


@route("POST", "/journeys/<uuid:journey_id>/followup/problems", roles={PATIENT}, tag=TAG, status=201,
       summary="Report a problem (stoma irritation, pain, signs of infection, a fall): escalated as a "
               "complication; the answer says whether to act now",
       body=api.ProblemReportForm, response=api.ProblemReportView, action=N_("record a problem they have"))
def report_problem(ctx, journey_id):
    return ctx.rpc("followup").report_problem(str(journey_id), dump(api.ProblemReportForm, ctx.body))


@route("GET", "/journeys/<uuid:journey_id>/followup/problems", roles=READERS, tag=TAG,
       summary="List the problems the patient reported, each with its escalation",
       response=api.ProblemReportListView, action=N_("read the problems a patient reported"))
def problem_reports(ctx, journey_id):
    return ctx.rpc("followup").problem_reports(str(journey_id))
