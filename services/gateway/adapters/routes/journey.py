"""The journey: staff board and timeline, the patient's own view, FHIR export, access log, erasure."""
from marshmallow import Schema, fields

from services.gateway.adapters.routing import route
from services.gateway.domain.audit_export import audit_bundle
from services.gateway.domain.roles import ADMIN, ALL_STAFF, INTAKE, PATIENT, SPECIALIST
from services.gateway.handlers import audit
from services.gateway.handlers.access_log import access_entries
from services.gateway.handlers.records import personal_details
from shared.contracts.api.journey import (
    ErasureStatus,
    JourneyBoardItem,
    JourneyBoardQuery,
    JourneyTimeline,
    PatientJourneyView,
)
from shared.i18n import N_


class JourneyAccessEntry(Schema):
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    role = fields.String()
    action = fields.String()
    outcome = fields.String()


@route("GET", "/journeys", roles=ALL_STAFF, summary="The journey board: stalled journeys first",
       tag="journey", query=JourneyBoardQuery, response=JourneyBoardItem, many=True,
       action=N_("see the journey board"))
def board(ctx):
    items = ctx.rpc("journey").board(**ctx.query)
    for item in items:
        ctx.log_access(item["journey_id"])
    return items


@route("GET", "/journeys/<uuid:journey_id>/timeline", roles=ALL_STAFF, tag="journey",
       summary="One journey's timeline, stage and what it waits for", response=JourneyTimeline,
       action=N_("read a journey's timeline"))
def timeline(ctx, journey_id):
    return ctx.rpc("journey").timeline(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/my-journey", roles=PATIENT, tag="journey",
       summary="The patient's next steps and appointments", response=PatientJourneyView,
       action=N_("read a patient's next steps"))
def my_journey(ctx, journey_id):
    return ctx.rpc("journey").patient_view(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/fhir", roles={SPECIALIST, INTAKE, ADMIN}, tag="journey",
       summary="Export the journey as a FHIR R4 (4.0.1) Bundle, its access log as AuditEvent resources",
       action=N_("export a patient's record"))
def export_fhir(ctx, journey_id):
    """The journey service's Bundle, with who read or changed the record as AuditEvent resources (the
    access log is the gateway's)."""
    journey = str(journey_id)
    bundle = ctx.rpc("journey").export_fhir(journey, personal_details(ctx.service, journey))
    audited = audit.export(ctx.service.uow, journey_id=journey, since=None, until=None, limit=10_000)
    bundle["entry"] += audit_bundle(audited)["entry"]
    return bundle


@route("GET", "/journeys/<uuid:journey_id>/access-log", roles={PATIENT, ADMIN}, tag="audit",
       summary="Who saw this patient's record, and when", response=JourneyAccessEntry, many=True,
       action=N_("read who saw a patient's record"))
def journey_access_log(ctx, journey_id):
    return access_entries(ctx.service.uow, ctx.principal, str(journey_id))


@route("POST", "/journeys/<uuid:journey_id>/erasure", roles=ADMIN, tag="journey", status=202,
       summary="Ask every service to erase an enquirer's personal data", response=ErasureStatus,
       responses={404: "No such journey", 409: "A request is still awaiting answers"},
       action=N_("request an erasure"))
def request_erasure(ctx, journey_id):
    return ctx.rpc("journey").request_erasure(str(journey_id))


@route("GET", "/journeys/<uuid:journey_id>/erasure", roles=ADMIN, tag="journey",
       summary="Erasure requests and each service's answer", response=ErasureStatus, many=True,
       action=N_("read erasure requests"))
def erasure_requests(ctx, journey_id):
    return ctx.rpc("journey").erasure_requests(str(journey_id))

