"""The journey: staff board and timeline, the patient's own view, FHIR export, access log, erasure."""
import logging

from marshmallow import Schema, fields
from nameko.exceptions import RemoteError, UnknownService

from services.gateway import access_log
from services.gateway.roles import ADMIN, ALL_STAFF, INTAKE, PATIENT, SPECIALIST
from services.gateway.routing import route
from shared.contracts.api.journey import (
    ErasureStatus,
    JourneyBoardItem,
    JourneyBoardQuery,
    JourneyTimeline,
    PatientJourneyView,
)

log = logging.getLogger(__name__)


class JourneyAccessEntry(Schema):
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    role = fields.String()
    action = fields.String()
    outcome = fields.String()


@route("GET", "/journeys", roles=ALL_STAFF, summary="The journey board: stalled journeys first",
       tag="journey", query=JourneyBoardQuery, response=JourneyBoardItem, many=True)
def board(ctx):
    items = ctx.rpc("journey").board(**ctx.query)
    for item in items:
        ctx.log_access(item["journey_id"])
    return items


@route("GET", "/journeys/<uuid:journey_id>/timeline", roles=ALL_STAFF, tag="journey",
       summary="One journey's timeline, stage and what it waits for", response=JourneyTimeline)
def timeline(ctx, journey_id):
    return ctx.rpc("journey").timeline(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/my-journey", roles=PATIENT, tag="journey",
       summary="The patient's next steps and appointments", response=PatientJourneyView)
def my_journey(ctx, journey_id):
    return ctx.rpc("journey").patient_view(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/fhir", roles={SPECIALIST, INTAKE, ADMIN}, tag="journey",
       summary="Export the journey as a FHIR Bundle")
def export_fhir(ctx, journey_id):
    return ctx.rpc("journey").export_fhir(str(journey_id), personal_details(ctx.service, str(journey_id)))


@route("GET", "/journeys/<uuid:journey_id>/access-log", roles={PATIENT, ADMIN}, tag="audit",
       summary="Who saw this patient's record, and when", response=JourneyAccessEntry, many=True)
def journey_access_log(ctx, journey_id):
    return access_entries(ctx.service, ctx.principal, str(journey_id))


@route("POST", "/journeys/<uuid:journey_id>/erasure", roles=ADMIN, tag="journey", status=202,
       summary="Ask every service to erase an enquirer's personal data", response=ErasureStatus,
       responses={404: "No such journey", 409: "A request is still awaiting answers"})
def request_erasure(ctx, journey_id):
    return ctx.rpc("journey").request_erasure(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/erasure", roles=ADMIN, tag="journey",
       summary="Erasure requests and each service's answer", response=ErasureStatus, many=True)
def erasure_requests(ctx, journey_id):
    return ctx.rpc("journey").erasure_requests(str(journey_id))


def access_entries(service, principal, journey_id: str) -> list[dict]:
    """A patient sees the role that looked (not who); an auditor sees the staff id too."""
    rows = access_log.entries(service.uow, journey_id=journey_id, limit=1000)
    return [{"at": row.at, "actor": row.actor if principal.role == ADMIN else None, "role": row.role,
             "action": row.action, "outcome": row.outcome} for row in rows]


def personal_details(service, journey_id: str) -> dict:
    """Name and contact details from enquiries, for the FHIR Patient; none if it cannot say."""
    try:
        enquiry = service.enquiries_rpc.get_enquiry(journey_id)
    except (RemoteError, UnknownService) as exc:
        log.warning("exporting without personal details", extra={"journey_id": journey_id,
                                                                 "status": type(exc).__name__})
        return {}
    return {key: enquiry.get(key) for key in ("name", "email", "phone", "date_of_birth")}
