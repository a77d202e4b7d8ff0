"""Staff accounts: created by an administrator (or the operator CLI), disabled, re-enabled.

Each change that should end a user's sessions bumps their token version.
"""

from sqlalchemy import select

from services.gateway.domain.credentials import hash_password, verify_password
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.models import StaffUser
from shared.clock import aware, real_now
from shared.errors import Conflict, Invalid, NotFound, Unauthorized

MIN_PASSWORD = 12


def create_user(session, username: str, password: str, role: str) -> StaffUser:
    _check_role(role)
    _check_password(password)
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise Conflict(f"user {username!r} exists")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role,
                     active=True, created_at=real_now(), token_version=1)
    session.add(user)
    session.flush()
    return user


def add_user(uow, command: dict) -> dict:
    with uow:
        return view(create_user(uow.session, command["username"], command["password"], command["role"]))


def list_users(uow) -> list[dict]:
    with uow:
        return [view(user) for user in uow.session.scalars(select(StaffUser).order_by(StaffUser.id))]


def set_active(uow, user_id: int, active: bool, by: str) -> dict:
    """Disable (every token of theirs stops working at once) or re-enable a user."""
    with uow:
        user = _user(uow.session, user_id)
        if not active and by == f"staff:{user.id}":
            raise Conflict("you cannot disable your own account")
        if user.active != active:
            user.active = active
            user.token_version += 1
        return view(user)


def change_role(uow, user_id: int, role: str) -> dict:
    _check_role(role)
    with uow:
        user = _user(uow.session, user_id)
        if user.role != role:
            user.role = role
            user.token_version += 1
        return view(user)


def change_password(uow, user_id: int, current: str, new: str) -> None:
    """The user's own password change; their other sessions end with it."""
    _check_password(new)
    with uow:
        user = _user(uow.session, user_id)
        if not verify_password(user.password_hash, current):
            raise Unauthorized("the current password is wrong")
        user.password_hash = hash_password(new)
        user.token_version += 1


def view(user: StaffUser) -> dict:
    return {"id": user.id, "username": user.username, "role": user.role, "active": user.active,
            "created_at": aware(user.created_at)}


def _user(session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id, with_for_update=True)
    if user is None:
        raise NotFound(f"no staff user {user_id}")
    return user


def _check_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise Invalid(f"unknown role {role!r}", fields={"role": [f"one of {', '.join(STAFF_ROLES)}"]})


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password must have at least {MIN_PASSWORD} characters",
                      fields={"password": [f"at least {MIN_PASSWORD} characters"]})

