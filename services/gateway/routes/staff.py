"""Signing in, the caller's identity, patient links and the access log."""
from marshmallow import Schema, fields, validate

from services.gateway import access_log
from services.gateway.auth import issue_token
from services.gateway.roles import ADMIN, ALL_STAFF, INTAKE, PUBLIC, SPECIALIST
from services.gateway.routing import route
from services.gateway.staff import authenticate


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    role = fields.String(required=True)


class MeSchema(Schema):
    subject = fields.String()
    role = fields.String()


class PatientLinkRequest(Schema):
    valid_days = fields.Integer(load_default=14, validate=validate.Range(min=1, max=60))


class PatientLinkSchema(Schema):
    token = fields.String()
    expires_in = fields.Integer()


class AccessLogQuery(Schema):
    journey_id = fields.UUID(load_default=None)
    actor = fields.String(load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class AccessLogEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    role = fields.String()
    on_behalf_of = fields.String(allow_none=True)
    journey_id = fields.String(allow_none=True)
    action = fields.String()
    method = fields.String()
    path = fields.String()
    outcome = fields.String()
    status = fields.Integer()


@route("POST", "/auth/token", roles=PUBLIC, summary="Sign in and get a short-lived token",
       tag="auth", body=LoginSchema, response=TokenSchema, rate_limit=(10, 60.0))
def login(ctx):
    auth = ctx.config["AUTH"]
    with ctx.service.uow as uow:
        user = authenticate(uow.session, ctx.body["username"], ctx.body["password"])
        subject, role = f"staff:{user.id}", user.role
    ttl = int(auth["token_ttl_seconds"])
    return {"access_token": issue_token(auth["token_secret"], subject, role, ttl),
            "token_type": "Bearer", "expires_in": ttl, "role": role}


@route("GET", "/me", roles=ALL_STAFF, summary="Who am I", tag="auth", response=MeSchema)
def me(ctx):
    return {"subject": ctx.principal.subject, "role": ctx.principal.role}


@route("POST", "/journeys/<uuid:journey_id>/patient-link", roles={INTAKE, SPECIALIST, ADMIN},
       summary="Issue a patient's personal, expiring link", tag="auth",
       body=PatientLinkRequest, response=PatientLinkSchema, status=201)
def patient_link(ctx, journey_id):
    ttl = ctx.body["valid_days"] * 86400
    token = issue_token(ctx.config["AUTH"]["token_secret"], f"patient:{journey_id}", "patient",
                        ttl, journey_id=str(journey_id))
    return {"token": token, "expires_in": ttl}


@route("GET", "/access-log", roles=ADMIN, summary="Read the access log", tag="audit",
       query=AccessLogQuery, response=AccessLogEntrySchema, many=True)
def read_access_log(ctx):
    q = ctx.query
    return access_log.entries(ctx.service.uow, journey_id=str(q["journey_id"]) if q["journey_id"] else None,
                              actor=q["actor"], limit=q["limit"], offset=q["offset"])
