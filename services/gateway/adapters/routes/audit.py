"""The access log for an audit (NEN 7513): verify its chain; export it by patient and by period, as CSV
or as FHIR R4 AuditEvent resources. Administrators only; every export is itself an access-log entry."""
from datetime import UTC

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.gateway.adapters.errors import Download
from services.gateway.adapters.routing import route
from services.gateway.domain.audit_export import as_csv, audit_bundle
from services.gateway.domain.roles import ADMIN
from services.gateway.handlers import access_log, audit
from shared.i18n import N_


class ChainFinding(Schema):
    entry_id = fields.Integer()
    problem = fields.String(metadata={"description": "altered, replaced, missing or detail_altered"})
    message = fields.String()


class ChainReport(Schema):
    entries = fields.Integer(metadata={"description": "how many entries were read"})
    last_id = fields.Integer(metadata={"description": "the chain head: the last entry appended"})
    intact = fields.Boolean()
    findings = fields.List(fields.Nested(ChainFinding))


class ExportQuery(Schema):
    journey_id = fields.UUID(load_default=None)
    since = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    until = fields.AwareDateTime(load_default=None, default_timezone=UTC)
    limit = fields.Integer(load_default=10_000, validate=validate.Range(min=1, max=100_000))

    @validates_schema
    def _narrowed(self, data, **_):
        if not (data.get("journey_id") or data.get("since") or data.get("until")):
            raise ValidationError("give a journey_id, a period (since, until) or both", "journey_id")
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ValidationError("since must be before until", "until")


@route("GET", "/access-log/verify", roles=ADMIN, summary="Check the access log's hash chain: every "
       "altered or missing entry, named", tag="audit", response=ChainReport, patient_param=None,
       action=N_("verify the access log"))
def verify_access_log(ctx):
    return audit.verify(lambda: audit.in_transaction(ctx.service.uow))


@route("GET", "/access-log/export.csv", roles=ADMIN, tag="audit", query=ExportQuery, patient_param=None,
       summary="Export the access log of a patient and/or a period as CSV, oldest first",
       produces="text/csv", action=N_("export the access log"))
def export_access_log_csv(ctx):
    return Download("text/csv; charset=utf-8", "access-log.csv", as_csv(_exported(ctx, "csv")))


@route("GET", "/access-log/audit-events", roles=ADMIN, tag="audit", query=ExportQuery, patient_param=None,
       summary="Export the access log of a patient and/or a period as a FHIR R4 Bundle of AuditEvent",
       action=N_("export the access log"))
def export_access_log_fhir(ctx):
    return audit_bundle(_exported(ctx, "FHIR AuditEvent"))


def _exported(ctx, kind: str) -> list[dict]:
    q = ctx.query
    journey = str(q["journey_id"]) if q["journey_id"] else None
    entries = audit.export(ctx.service.uow, journey_id=journey, since=q["since"], until=q["until"],
                           limit=q["limit"])
    period = " to ".join(q[end].isoformat() if q[end] else "…" for end in ("since", "until"))
    access_log.record(ctx.service.uow, principal=ctx.principal, journey_id=journey, action=ctx.route.name,
                      method=ctx.request.method, path=ctx.request.path, outcome="allowed", status=200,
                      detail=f"{kind} export, {len(entries)} entries, {period}")
    return entries
