"""The access log on a real database: append-only, one hash chain under concurrent writers, and the
verification command naming what a superuser changed behind the trigger's back."""
import os
import subprocess
import sys

import eventlet
import pytest
import sqlalchemy as sa
from sqlalchemy import select, text

from services.gateway import models
from services.gateway.domain.credentials import Principal
from services.gateway.handlers import access_log, audit
from services.gateway.models import AccessLogEntry
from shared.db import Store, UnitOfWork
from shared.migrations import upgrade

STAFF = Principal(subject="staff:7", role="intake_coordinator")
JOURNEY = "5f0c7a52-6a57-4c55-9a43-8c7d1f2b9e10"


@pytest.fixture
def store(db_url):
    upgrade("gateway", db_url)
    store = Store(db_url, models.kernel)
    yield store
    store.dispose()


def uow(store) -> UnitOfWork:
    return UnitOfWork(store, "gateway", lambda: None)


def read(store, journey_id=None) -> None:
    access_log.record(uow(store), principal=STAFF, journey_id=journey_id or JOURNEY, action="timeline",
                      method="GET", path="/api/x", outcome="allowed", status=200)


def verify_command(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ops", "verify-access-log", "--database-url", url],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_the_log_refuses_an_update_or_a_delete_even_from_a_superuser_but_lets_a_search_be_erased(store):
    access_log.record_search(uow(store), principal=STAFF, query="Müller 1980-02-28",
                             journey_ids=[JOURNEY], action="search_patients", method="GET",
                             path="/api/patients")
    for statement in ("UPDATE access_log SET actor = 'staff:1'", "DELETE FROM access_log",
                      "UPDATE access_log SET detail = 'someone else'"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.session() as session:
            session.execute(text(statement))
    assert audit.erase_personal_detail(uow(store), JOURNEY) == 1
    with store.session() as session:
        details = session.scalars(select(AccessLogEntry.detail).order_by(AccessLogEntry.id)).all()
    assert details == [None, "shown in search results"]
    assert audit.verify(store.session)["intact"] is True


def test_concurrent_writers_keep_one_chain(pg_url):
    upgrade("gateway", pg_url)
    store = Store(pg_url, models.kernel)
    try:
        pool = eventlet.GreenPool(20)
        for _ in range(100):
            pool.spawn(read, store)
        pool.waitall()
        report = audit.verify(store.session)
        with store.session() as session:
            ids = session.scalars(select(AccessLogEntry.id).order_by(AccessLogEntry.id)).all()
    finally:
        store.dispose()
    assert report == {"entries": 100, "last_id": 100, "intact": True, "findings": []}
    assert ids == list(range(1, 101))


def test_an_altered_and_a_deleted_row_are_named_by_the_verification_command(pg_url):
    upgrade("gateway", pg_url)
    store = Store(pg_url, models.kernel)
    try:
        for _ in range(5):
            read(store)
        assert audit.verify(store.session)["intact"] is True
        with store.session() as session:   # a superuser going around the trigger
            session.execute(text("SET LOCAL session_replication_role = replica"))
            session.execute(text("UPDATE access_log SET outcome = 'denied' WHERE id = 2"))
            session.execute(text("DELETE FROM access_log WHERE id = 4"))
    finally:
        store.dispose()
    result = verify_command(pg_url)
    assert result.returncode == 1, result.stderr
    assert "Entry 2 was altered" in result.stdout
    assert "Entry 4 is missing." in result.stdout


def test_entries_written_before_the_chain_are_chained_by_the_migration(tmp_path):
    url = f"sqlite:///{tmp_path}/gateway.db"
    upgrade("gateway", url, "0006")
    store = Store(url, models.kernel)
    try:
        with store.session() as session:
            for n, detail in ((3, "muller"), (7, None), (8, None)):   # gaps a rolled-back insert leaves
                session.execute(text(
                    "INSERT INTO access_log (id, at, actor, role, action, method, path, outcome, status, "
                    f"detail) VALUES ({n}, '2026-01-0{n} 10:00:00.000000', 'staff:1', 'specialist', "
                    "'timeline', 'GET', '/api/x', 'allowed', 200, :detail)"), {"detail": detail})
        upgrade("gateway", url)
        read(store)
        assert audit.verify(store.session) == {"entries": 4, "last_id": 4, "intact": True, "findings": []}
    finally:
        store.dispose()
