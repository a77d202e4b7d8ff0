"""Signing in, the caller's identity, staff accounts, patient links and the access log."""
from marshmallow import Schema, fields, validate

from services.gateway.adapters.routing import route
from services.gateway.domain.credentials import MIN_DISTINCT, MIN_PASSWORD
from services.gateway.domain.roles import ADMIN, ALL_STAFF, INTAKE, PUBLIC, SPECIALIST, STAFF_ROLES
from services.gateway.handlers import access_log, accounts, patient_links, sign_in
from shared.i18n import N_

ROLE = validate.OneOf(STAFF_ROLES)
LOGIN_LIMIT = (10, 60.0)      # per client address, besides the per-account growing wait
# The rule itself is the domain's (credentials.password_problem); this tells the OpenAPI reader.
PASSWORD_RULE = {"description": f"at least {MIN_PASSWORD} characters, {MIN_DISTINCT} of them different, "
                                "not the username"}


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    role = fields.String(required=True)
    must_change_password = fields.Boolean(
        metadata={"description": "an administrator's one-time password: change it before anything else"})


class MeSchema(Schema):
    subject = fields.String()
    role = fields.String()
    must_change_password = fields.Boolean()


class PasswordChange(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 metadata=PASSWORD_RULE)


class NewStaffUser(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._@-]{2,100}$",
                             error="2 to 100 letters, digits or . _ @ -"))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "for one use: the user chooses their own at first sign-in "
                       f"({PASSWORD_RULE['description']})"})
    role = fields.String(required=True, validate=ROLE)


class RoleChange(Schema):
    role = fields.String(required=True, validate=ROLE)


class StaffUserView(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    active = fields.Boolean()
    must_change_password = fields.Boolean()
    created_at = fields.AwareDateTime()


class PatientLinkRequest(Schema):
    valid_days = fields.Integer(load_default=14, validate=validate.Range(min=1, max=60))


class PatientLinkSchema(Schema):
    token = fields.String()
    expires_in = fields.Integer()
    link_id = fields.String()
    scope = fields.String()


class PatientLinkView(Schema):
    link_id = fields.String()
    scope = fields.String()
    issued_by = fields.String()
    issued_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)
    revoked_by = fields.String(allow_none=True)


class RevokedLinks(Schema):
    revoked = fields.Integer()


class AccessLogQuery(Schema):
    journey_id = fields.UUID(load_default=None)
    actor = fields.String(load_default=None, validate=validate.Length(max=120))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))


class AccessLogEntrySchema(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    actor = fields.String()
    role = fields.String()
    on_behalf_of = fields.String(allow_none=True)
    journey_id = fields.String(allow_none=True)
    action = fields.String()
    method = fields.String()
    path = fields.String()
    outcome = fields.String()
    status = fields.Integer()
    credential = fields.String(allow_none=True)
    detail = fields.String(allow_none=True, metadata={"description": "what was searched for, or how shown"})


@route("POST", "/auth/token", roles=PUBLIC, summary="Sign in and get a short-lived token",
       tag="auth", body=LoginSchema, response=TokenSchema, rate_limit=LOGIN_LIMIT, idempotent=False,
       responses={401: "Wrong username or password (the same answer for an unknown user)",
                  429: "Too many attempts from this address, or failed sign-ins for this account"})
def login(ctx):
    return sign_in.sign_in(ctx.service.uow, ctx.config["AUTH"], ctx.body["username"], ctx.body["password"],
                           path=ctx.request.path)


@route("GET", "/me", roles=ALL_STAFF, summary="Who am I", tag="auth", response=MeSchema,
       action=N_("read a staff account"))
def me(ctx):
    return {"subject": ctx.principal.subject, "role": ctx.principal.role,
            "must_change_password": ctx.principal.must_change_password}


@route("POST", "/me/password", roles=ALL_STAFF, tag="auth", body=PasswordChange, status=204,
       summary="Change my password: every token issued before, this one too, stops working",
       responses={422: "The current password is not right, or the new one will not do (says why)",
                  429: "Too many wrong passwords for this account: when to try again"},
       action=N_("change a staff password"))
def change_password(ctx):
    accounts.change_password(ctx.service.uow, _user_id(ctx), ctx.body["current_password"],
                             ctx.body["new_password"])
    return 204, None


@route("GET", "/users", roles=ADMIN, summary="List staff users", tag="auth",
       response=StaffUserView, many=True,
       action=N_("list staff users"))
def list_users(ctx):
    return accounts.list_users(ctx.service.uow)


@route("POST", "/users", roles=ADMIN, summary="Create a staff user", tag="auth", body=NewStaffUser,
       response=StaffUserView, status=201, responses={409: "A user with this username exists"},
       action=N_("create a staff user"))
def create_user(ctx):
    return accounts.add_user(ctx.service.uow, ctx.body)


@route("POST", "/users/<int:user_id>/disable", roles=ADMIN, tag="auth", response=StaffUserView,
       summary="Disable a staff user: their tokens stop working at once", responses={404: "No such user"},
       action=N_("disable a staff user"))
def disable_user(ctx, user_id):
    return accounts.set_active(ctx.service.uow, user_id, False, ctx.principal.subject)


@route("POST", "/users/<int:user_id>/enable", roles=ADMIN, tag="auth", response=StaffUserView,
       summary="Re-enable a disabled staff user", responses={404: "No such user"},
       action=N_("enable a staff user"))
def enable_user(ctx, user_id):
    return accounts.set_active(ctx.service.uow, user_id, True, ctx.principal.subject)


@route("PUT", "/users/<int:user_id>/role", roles=ADMIN, tag="auth", body=RoleChange, response=StaffUserView,
       summary="Change a staff user's role (their current tokens end)", responses={404: "No such user"},
       action=N_("change a staff user's role"))
def change_role(ctx, user_id):
    return accounts.change_role(ctx.service.uow, user_id, ctx.body["role"])


@route("POST", "/journeys/<uuid:journey_id>/patient-link", roles={INTAKE, SPECIALIST, ADMIN},
       summary="Issue a patient's personal, expiring link", tag="auth",
       body=PatientLinkRequest, response=PatientLinkSchema, status=201, responses={404: "No such journey"},
       idempotent=False,   # a replay would keep the link's token in the gateway's database
       action=N_("issue a patient link"))
def patient_link(ctx, journey_id):
    ctx.rpc("journey").timeline(str(journey_id))   # NotFound (404) for a journey that does not exist
    return patient_links.issue_link(ctx.service.uow, ctx.config["AUTH"]["token_secret"], str(journey_id),
                                    ctx.principal.subject, ctx.body["valid_days"] * 86400)


@route("GET", "/journeys/<uuid:journey_id>/patient-links", roles={INTAKE, SPECIALIST, ADMIN},
       summary="The patient links issued for a journey, and who issued each", tag="auth",
       response=PatientLinkView, many=True,
       action=N_("list a journey's patient links"))
def list_patient_links(ctx, journey_id):
    return patient_links.list_links(ctx.service.uow, str(journey_id))


@route("DELETE", "/journeys/<uuid:journey_id>/patient-links", roles={INTAKE, SPECIALIST, ADMIN},
       summary="Withdraw every live patient link of a journey (a new one can be issued)", tag="auth",
       response=RevokedLinks,
       action=N_("withdraw patient links"))
def revoke_patient_links(ctx, journey_id):
    return patient_links.revoke_links(ctx.service.uow, str(journey_id), ctx.principal.subject)


@route("GET", "/access-log", roles=ADMIN, summary="Read the access log", tag="audit",
       query=AccessLogQuery, response=AccessLogEntrySchema, many=True,
       action=N_("read the access log"))
def read_access_log(ctx):
    q = ctx.query
    return access_log.entries(ctx.service.uow, journey_id=str(q["journey_id"]) if q["journey_id"] else None,
                              actor=q["actor"], limit=q["limit"], offset=q["offset"])


def _user_id(ctx) -> int:
    return int(ctx.principal.subject.split(":", 1)[1])
