"""Staff passwords (argon2) and short-lived signed tokens (JWT, HS256)."""
import time
import uuid
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from services.gateway.roles import PATIENT, STAFF_ROLES
from shared.errors import Unauthorized

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False


@dataclass(frozen=True)
class Principal:
    """Who is calling: a staff member with a role, or a patient scoped to one journey."""
    subject: str
    role: str
    journey_id: str | None = None

    @property
    def actor(self) -> str:
        return f"patient:{self.journey_id}" if self.role == PATIENT else self.subject


def issue_token(secret: str, subject: str, role: str, ttl_seconds: int,
                journey_id: str | None = None) -> str:
    now = int(time.time())
    claims = {"sub": subject, "role": role, "iat": now, "exp": now + ttl_seconds,
              "jti": uuid.uuid4().hex}
    if journey_id:
        claims["journey_id"] = journey_id
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(secret: str, authorization: str | None) -> Principal:
    """The principal of a `Bearer` token; Unauthorized if missing, expired or tampered."""
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("missing bearer token")
    try:
        claims = jwt.decode(authorization[len("Bearer "):], secret, algorithms=["HS256"],
                            options={"require": ["exp", "sub", "role"]})
    except jwt.ExpiredSignatureError:
        raise Unauthorized("token expired") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("invalid token") from None
    role = claims["role"]
    if role not in STAFF_ROLES and role != PATIENT:
        raise Unauthorized("invalid token")
    if role == PATIENT and not claims.get("journey_id"):
        raise Unauthorized("invalid token")
    return Principal(subject=claims["sub"], role=role, journey_id=claims.get("journey_id"))
