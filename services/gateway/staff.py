"""Staff accounts: created by an operator, signed in with a password."""
from datetime import UTC, datetime

from sqlalchemy import select

from services.gateway.auth import hash_password, verify_password
from services.gateway.models import StaffUser
from services.gateway.roles import STAFF_ROLES
from shared.errors import Conflict, Invalid, Unauthorized

MIN_PASSWORD = 12


def create_user(session, username: str, password: str, role: str) -> StaffUser:
    if role not in STAFF_ROLES:
        raise Invalid(f"unknown role {role!r}", fields={"role": list(STAFF_ROLES)})
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise Conflict(f"user {username!r} exists")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role,
                     active=True, created_at=datetime.now(UTC))
    session.add(user)
    session.flush()
    return user


def authenticate(session, username: str, password: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        raise Unauthorized("wrong username or password")
    return user
