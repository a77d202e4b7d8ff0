"""Staff passwords (argon2) and short-lived signed tokens (JWT, HS256).

A token alone proves nothing lasting: every request also checks it against the
gateway's own records (handlers/principals.py), so a disabled user, a
changed role or password, or a revoked patient link ends its tokens at once.
"""
import time
import uuid
from dataclasses import dataclass
from functools import cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from services.gateway.domain.roles import PATIENT, STAFF_ROLES
from shared.config import load_config
from shared.errors import Unauthorized


@cache
def _hasher() -> tuple[PasswordHasher, str]:
    """argon2 at the cost GATEWAY.password_hashing sets (argon2-cffi's defaults, RFC 9106's second
    choice), and the hash verified when the username is unknown, so that answer takes as long as a
    wrong password. A stored hash keeps its own cost: changing it applies to passwords set later."""
    cost = (load_config().get("GATEWAY") or {}).get("password_hashing") or {}
    hasher = PasswordHasher(time_cost=int(cost.get("time_cost", 3)),
                            memory_cost=int(cost.get("memory_kib", 65536)))
    return hasher, hasher.hash("no user has this password; it only costs the same time")


STAFF, LINK, PATIENT_SESSION = "staff", "link", "patient_session"
JOURNEY_SCOPE, QUESTIONNAIRE_SCOPE = "journey", "questionnaire"

MIN_PASSWORD = 12         # characters
MIN_DISTINCT = 5          # different characters: no "aaaaaaaaaaaa" or "abababababab"


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` will not do for `username`, as a clause; None when it will."""
    if len(password) < MIN_PASSWORD:
        return f"a password must have at least {MIN_PASSWORD} characters"
    if len(set(password)) < MIN_DISTINCT:
        return f"a password must have at least {MIN_DISTINCT} different characters"
    if password.strip().casefold() == username.strip().casefold():
        return "a password must not be the username"
    return None


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not there is a hash to check (None: an unknown user)."""
    try:
        hasher, dummy = _hasher()
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except VerificationError:
        return False


@dataclass(frozen=True)
class Principal:
    """Who is calling: a staff member with a role, or a patient scoped to one journey."""
    subject: str
    role: str
    journey_id: str | None = None
    kind: str = STAFF
    scope: str | None = None          # a patient's: the whole journey, or only the questionnaire
    credential: str | None = None     # a patient's: the link (its id) the call came with
    version: int | None = None        # a staff member's: the token version it was issued under
    # A staff member's, from their account (not the token): an administrator's one-time password
    # must be replaced before anything else.
    must_change_password: bool = False

    @property
    def actor(self) -> str:
        return f"patient:{self.journey_id}" if self.role == PATIENT else self.subject

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF and self.role in STAFF_ROLES


def issue_token(secret: str, subject: str, role: str, ttl_seconds: int, *,
                journey_id: str | None = None, kind: str = STAFF, version: int | None = None,
                scope: str | None = None, token_id: str | None = None) -> str:
    now = int(time.time())
    claims = {"sub": subject, "role": role, "iat": now, "exp": now + ttl_seconds,
              "jti": token_id or uuid.uuid4().hex, "typ": kind}
    if journey_id:
        claims["journey_id"] = journey_id
    if version is not None:
        claims["ver"] = version
    if scope:
        claims["scope"] = scope
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(secret: str, authorization: str | None) -> Principal:
    """The principal a `Bearer` token claims; Unauthorized if missing, expired or tampered.

    Only the signature and the claims' shape are checked here; principals.identify
    checks the claims against the user table and the patient links.
    """
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("missing bearer token")
    try:
        claims = jwt.decode(authorization[len("Bearer "):], secret, algorithms=["HS256"],
                            options={"require": ["exp", "sub", "role", "jti"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("token expired") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("invalid token") from None
    role, kind = claims["role"], claims.get("typ")
    if role in STAFF_ROLES and kind == STAFF and isinstance(claims.get("ver"), int):
        return Principal(subject=str(claims["sub"]), role=role, kind=STAFF, version=claims["ver"])
    if role == PATIENT and kind in (LINK, PATIENT_SESSION) and claims.get("journey_id"):
        return Principal(subject=str(claims["sub"]), role=PATIENT, journey_id=str(claims["journey_id"]),
                         kind=kind, scope=claims.get("scope") or JOURNEY_SCOPE, credential=str(claims["jti"]))
    raise Unauthorized("invalid token")
