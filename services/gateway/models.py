"""The gateway's own data: staff accounts, patient links, sign-in throttling, the access log (NEN 7513)
and the answers kept for Idempotency-Key replays."""
from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.tables import BigId, add_kernel_tables


class Base(DeclarativeBase):
    pass


kernel = add_kernel_tables(Base.metadata)


class StaffUser(Base):
    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Every token carries the version it was issued under; disabling the user, or
    # changing their role or password, bumps it and so ends every token at once.
    token_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set for a user an administrator created with a one-time password; their own change clears it.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class PatientLink(Base):
    """A personal link issued to a patient: revocable, and it names who issued it."""
    __tablename__ = "patient_links"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)      # the token's jti
    journey_id: Mapped[str] = mapped_column(String(36), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    issued_by: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(120))


class SignInFailures(Base):
    """Failed sign-ins per username (known or not): each one past a few doubles the wait."""
    __tablename__ = "sign_in_failures"
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimitBucket(Base):
    """One client's allowance on one rate-limited route, shared by every gateway instance: the instant
    (seconds since the epoch, by the database's clock) its allowance is whole again. A row past that
    instant is the same as no row, and is swept away."""
    __tablename__ = "rate_limits"
    bucket: Mapped[str] = mapped_column(String(60), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_at: Mapped[float] = mapped_column(Float(precision=53), index=True)


class AccessLogEntry(Base):
    """One read or change of a patient's data, or a refused attempt: append-only (a trigger refuses an
    update or delete, migration 0007), each entry chained to the one before by its hash
    (domain/audit_chain.py). Kept as long as the record it protects: nothing deletes an entry."""
    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(40))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    journey_id: Mapped[str | None] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(120))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(20))
    status: Mapped[int] = mapped_column(Integer)
    credential: Mapped[str | None] = mapped_column(String(60))   # the patient link used, if any
    # What was searched for, or how a record was shown (NEN 7513: a search is logged with its query).
    detail: Mapped[str | None] = mapped_column(String(200))
    # The chain covers the detail's salted digest; an erasure blanks the detail and its nonce only.
    detail_nonce: Mapped[str | None] = mapped_column(String(32))
    detail_digest: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AccessLogHead(Base):
    """The chain's last link, one row: appending locks it (FOR UPDATE), so concurrent writers take
    turns and the chain never forks; it also shows when entries were cut from the end."""
    __tablename__ = "access_log_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigId)
    last_hash: Mapped[str] = mapped_column(String(64))


class IdempotentRequest(Base):
    """A state-changing request sent with an Idempotency-Key, and the answer a repeat gets.

    The key counts per caller, method and path (the primary key, which also settles a race
    between two first requests); a repeat with another body is refused.
    """
    __tablename__ = "idempotency_keys"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    principal: Mapped[str] = mapped_column(String(160), primary_key=True)   # "<kind>:<subject>"
    method: Mapped[str] = mapped_column(String(10), primary_key=True)
    path: Mapped[str] = mapped_column(String(300), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10))                         # running | done
    status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_headers: Mapped[str | None] = mapped_column(Text)             # JSON, the ones replayed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
