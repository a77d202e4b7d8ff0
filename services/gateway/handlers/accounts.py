"""Staff accounts: created by an administrator (or the operator CLI), their role changed, disabled,
re-enabled, and their own password changed.

Each change that should end a user's sessions bumps their token version; the principals check
(handlers/principals.py) compares it on every request. There is always an active administrator.
"""
import math

from sqlalchemy import select

from services.gateway.domain.credentials import hash_password, password_problem, verify_password
from services.gateway.domain.roles import ADMIN, STAFF_ROLES
from services.gateway.handlers import sign_in
from services.gateway.models import StaffUser
from shared.clock import aware, real_now
from shared.errors import Conflict, Invalid, NotFound, TooManyRequests

LAST_ADMIN = "this is the last active administrator; make another user an administrator first"


def create_user(session, username: str, password: str, role: str, *,
                must_change_password: bool = False) -> StaffUser:
    _check_role(role)
    _check_password(password, username, "password")
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise Conflict(f"user {username!r} exists")
    user = StaffUser(username=username, password_hash=hash_password(password), role=role,
                     active=True, created_at=real_now(), token_version=1,
                     must_change_password=must_change_password)
    session.add(user)
    session.flush()
    return user


def add_user(uow, command: dict) -> dict:
    """An administrator's new user: the password they were given is for one use, so they choose their own
    before anything else."""
    with uow:
        return view(create_user(uow.session, command["username"], command["password"], command["role"],
                                must_change_password=True))


def list_users(uow) -> list[dict]:
    with uow:
        return [view(user) for user in uow.session.scalars(select(StaffUser).order_by(StaffUser.id))]


def set_active(uow, user_id: int, active: bool, by: str) -> dict:
    """Disable (every token of theirs stops working at once) or re-enable a user."""
    with uow:
        admins = _lock_administrators(uow.session)
        user = _user(uow.session, user_id)
        if not active and by == f"staff:{user.id}":
            raise Conflict("you cannot disable your own account")
        if not active and admins == [user.id]:
            raise Conflict(LAST_ADMIN)
        if user.active != active:
            user.active = active
            user.token_version += 1
        return view(user)


def change_role(uow, user_id: int, role: str) -> dict:
    """A new role for a user; the tokens issued under the old one stop working at once."""
    _check_role(role)
    with uow:
        admins = _lock_administrators(uow.session)
        user = _user(uow.session, user_id)
        if role != ADMIN and admins == [user.id]:
            raise Conflict(LAST_ADMIN)
        if user.role != role:
            user.role = role
            user.token_version += 1
        return view(user)


def change_password(uow, user_id: int, current: str, new: str) -> dict:
    """The user's own password change: every token issued before it stops working (the caller may sign
    the session it came from in again). A wrong current password counts as a failed sign-in."""
    now = real_now()
    with uow:
        user = _user(uow.session, user_id)
        wait = sign_in.locked_for(uow.session, user.username, now)
        right = not wait and verify_password(user.password_hash, current)
        problem = None
        if right:
            sign_in.forget_failures(uow.session, user.username)
            problem = _new_password_problem(user.username, current, new)
            if problem is None:
                user.password_hash = hash_password(new)
                user.token_version += 1
                user.must_change_password = False
        elif not wait:
            sign_in.count_failure(uow.session, user.username, now)
        changed = {"id": user.id, "role": user.role, "token_version": user.token_version}
    if wait:
        raise TooManyRequests(sign_in.LOCKED, retry_after_seconds=math.ceil(wait))
    if not right:
        raise Invalid("the current password is not right",
                      fields={"current_password": ["not your current password"]})
    if problem is not None:
        raise Invalid(problem, fields={"new_password": [problem]})
    return changed


def view(user: StaffUser) -> dict:
    return {"id": user.id, "username": user.username, "role": user.role, "active": user.active,
            "must_change_password": user.must_change_password, "created_at": aware(user.created_at)}


def _new_password_problem(username: str, current: str, new: str) -> str | None:
    if new == current:
        return "the new password must differ from the current one"
    return password_problem(new, username)


def _lock_administrators(session) -> list[int]:
    """The active administrators' ids, their rows locked in one order before any other, so two
    administrators cannot both step down at once (nor deadlock trying)."""
    active_admins = select(StaffUser.id).where(StaffUser.role == ADMIN, StaffUser.active.is_(True))
    return list(session.scalars(active_admins.order_by(StaffUser.id).with_for_update()))


def _user(session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id, with_for_update=True)
    if user is None:
        raise NotFound(f"no staff user {user_id}")
    return user


def _check_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise Invalid(f"unknown role {role!r}", fields={"role": [f"one of {', '.join(STAFF_ROLES)}"]})


def _check_password(password: str, username: str, field: str) -> None:
    problem = password_problem(password, username)
    if problem is not None:
        raise Invalid(problem, fields={field: [problem]})

