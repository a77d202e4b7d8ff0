"""Who is asking, and may they: one check for the API and the pages alike.

A signed token says who it was issued to; this module checks that it still
holds (the user is active, with the same role and token version; the patient
link is not revoked) and that the caller's role may use the route or page.

The check reads the user's row on every request (a primary-key read, no cache), so disabling a
user, changing their role or password ends their tokens on the very next request, on every
gateway instance.
"""
from dataclasses import replace
from datetime import UTC, datetime

from services.gateway.domain.credentials import JOURNEY_SCOPE, Principal, read_token
from services.gateway.domain.roles import PATIENT, refusal
from services.gateway.models import PatientLink, StaffUser
from shared.clock import real_now
from shared.errors import Forbidden, Unauthorized

# What a user whose password an administrator set for one use may still do: choose their own.
WHILE_PASSWORD_MUST_CHANGE = frozenset({"change a staff password", "read a staff account", "sign out"})
CHANGE_PASSWORD_FIRST = ("your password was set for one use only; choose your own first "
                         "(Password, at the top of the staff pages, or POST /api/me/password)")


def identify(uow, secret: str, authorization: str | None, *, kinds: tuple[str, ...]) -> Principal:
    """The caller behind `authorization` ("Bearer <token>"), if its token is of one of `kinds`
    and still stands; Unauthorized otherwise."""
    principal = read_token(secret, authorization)
    if principal.kind not in kinds:
        raise Unauthorized("this token is not valid here")
    with uow:
        uow.one_statement()   # one primary-key read
        if principal.role == PATIENT:
            link = uow.session.get(PatientLink, principal.credential)
            if link is None or link.journey_id != principal.journey_id:
                raise Unauthorized("this personal link is not known")
            if link.revoked_at is not None:
                raise Unauthorized("this personal link was withdrawn; ask the clinic for a new one")
            if _aware(link.expires_at) <= real_now():
                raise Unauthorized("token expired")
            return principal
        user = uow.session.get(StaffUser, _user_id(principal.subject))
        if user is None or not user.active or user.role != principal.role \
                or user.token_version != principal.version:
            raise Unauthorized("this sign-in has ended; please sign in again")
        return replace(principal, must_change_password=user.must_change_password)


def authorise(principal: Principal, roles, action: str, *, journey_id: str | None = None,
              scope: str = JOURNEY_SCOPE) -> None:
    """Forbidden unless the principal's role is among `roles` and, for a patient, the journey
    is their own and their link's scope covers `scope`. `action` is a verb phrase ("read an
    invoice"): the refusal is the sentence "<Role> may not <action>."."""
    if principal.role not in roles:
        raise Forbidden(refusal(principal.role, action))
    if principal.must_change_password and action not in WHILE_PASSWORD_MUST_CHANGE:
        raise Forbidden(CHANGE_PASSWORD_FIRST)
    if principal.role == PATIENT:
        if journey_id is None or str(journey_id) != principal.journey_id:
            raise Forbidden("this link is for another patient's journey")
        if principal.scope not in (JOURNEY_SCOPE, scope):
            raise Forbidden(f"this link is only for the {principal.scope}")


def _user_id(subject: str) -> int:
    prefix, _, number = subject.partition(":")
    if prefix != "staff" or not number.isdigit() or len(number) > 12:
        raise Unauthorized("invalid token")
    return int(number)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
