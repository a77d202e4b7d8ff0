"""What waits for staff in notifications (My work), on PostgreSQL and SQLite alike: a role's patients'
messages no one has read, the oldest first with how many files each carries, and the emails every retry
failed to send; a long list is counted only up to its bound."""
import uuid
from datetime import timedelta

import pytest

from services.notifications import models
from services.notifications.handlers.work import _statement, queues
from services.notifications.models import PARKED, CareAttachment, CareMessage, Message
from shared import work
from shared.clock import ClinicClock
from shared.db import Store, UnitOfWork
from shared.errors import Invalid
from shared.migrations import upgrade

NOW = ClinicClock().now()


@pytest.fixture
def store(db_url):
    upgrade("notifications", db_url)
    store = Store(db_url, models.kernel)
    yield store
    store.dispose()


def _asked(store, *kinds: str, role: str | None = "finance", limit: int = 25) -> dict:
    found = queues(UnitOfWork(store, "notifications", lambda: None),
                   {"kinds": list(kinds), "limit": limit, "role": role, "ahead_days": 7})
    return {queue["kind"]: queue for queue in found["queues"]}


def _message(journey: str, role: str, hours_ago: int, read: bool = False, author: str = "patient"):
    return CareMessage(id=str(uuid.uuid4()), journey_id=journey, author=author,
                       addressed_role=role if author == "patient" else None,
                       author_role=None if author == "patient" else role, posted_by="patient:x", text="Hello",
                       posted_at=NOW - timedelta(hours=hours_ago), read_at=NOW if read else None)


def test_a_roles_unread_messages_wait_oldest_first_with_their_files_and_parked_mail_for_an_operator(store):
    journey = str(uuid.uuid4())
    older, newer = _message(journey, "finance", 5), _message(journey, "finance", 1)
    with store.session() as session:
        session.add_all([older, newer, _message(journey, "finance", 9, read=True),
                         _message(journey, "travel_desk", 7),
                         _message(journey, "finance", 8, author="staff")])
        session.flush()
        session.add(CareAttachment(id=str(uuid.uuid4()), message_id=newer.id, journey_id=journey,
                                   position=0, media_type="application/pdf", size_bytes=3, sha256="0" * 64,
                                   content=b"pdf"))
        session.add(Message(id=str(uuid.uuid4()), journey_id=journey, template="deposit_overdue",
                            event_id=str(uuid.uuid4()), event_type="deposit_overdue", facts={}, status=PARKED,
                            attempts=3, next_attempt_at=NOW, created_at=NOW))
    found = _asked(store, "messages_unread", "mail_parked")
    unread = found["messages_unread"]
    assert [(i["reference"], i["count"]) for i in unread["items"]] == [(older.id, None), (newer.id, 1)]
    assert (unread["total"], unread["capped"]) == (2, False)
    assert [(i["code"], i["count"]) for i in found["mail_parked"]["items"]] == [("deposit_overdue", 3)]


def test_past_the_items_shown_the_count_stops_at_its_bound(store, monkeypatch):
    monkeypatch.setattr(work, "CAP", 3)
    _statement.cache_clear()   # built again with the bound
    journey = str(uuid.uuid4())
    with store.session() as session:
        session.add_all([_message(journey, "finance", n) for n in range(5)])
    unread = _asked(store, "messages_unread", limit=2)["messages_unread"]
    _statement.cache_clear()
    assert (len(unread["items"]), unread["total"], unread["capped"]) == (2, 3, True)


def test_messages_are_asked_for_a_role_the_patient_can_write_to(store):
    with pytest.raises(Invalid):
        _asked(store, "messages_unread", role="planner")
