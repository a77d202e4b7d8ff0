"""What waits for the specialist in follow-up (My work), on PostgreSQL and SQLite alike: images to review
and complications to act on by their dates (overdue first), check-ups to hold up to a week ahead, and the
patients' requests to move a check-up still to come."""
import uuid
from datetime import timedelta

import pytest

from services.followup import models
from services.followup.handlers.work import queues
from services.followup.models import (
    Checkup,
    CheckupMoveRequest,
    Escalation,
    Image,
    Plan,
    ProblemReport,
    ReviewTask,
)
from shared.clock import ClinicClock
from shared.db import Store, UnitOfWork
from shared.migrations import upgrade

CLOCK = ClinicClock()
TODAY, NOW = CLOCK.today(), CLOCK.now()
KINDS = ["image_review", "escalation", "checkup_to_hold", "checkup_move_request"]


@pytest.fixture
def store(db_url):
    upgrade("followup", db_url)
    store = Store(db_url, models.kernel)
    yield store
    store.dispose()


def _asked(store) -> dict:
    found = queues(UnitOfWork(store, "followup", lambda: None), CLOCK, {"kinds": KINDS, "limit": 25,
                                                                          "ahead_days": 7})
    return {queue["kind"]: queue for queue in found["queues"]}


def _id() -> str:
    return str(uuid.uuid4())


def _image(journey: str, due_in: int, status: str = "open") -> list:
    image = Image(id=_id(), journey_id=journey, sha256=uuid.uuid4().hex * 2, media_type="image/png",
                  size_bytes=10, body_part="left_femur", made_where="Lisbon", uploaded_by="patient",
                  uploaded_via="patient_link", uploaded_at=NOW, identity="not_checked")
    return [image, ReviewTask(id=_id(), journey_id=journey, image_id=image.id,
                              due_on=TODAY + timedelta(days=due_in), status=status)]


def _checkups(journey: str, *due_in: int, status: str = "planned") -> list[Checkup]:
    return [Checkup(id=_id(), plan_id=journey, journey_id=journey, label=f"{n} days", channel="video",
                    due_on=TODAY + timedelta(days=n), status=status) for n in due_in]


def test_each_kind_lists_what_is_open_most_urgent_first_and_leaves_what_is_done(store):
    journey = _id()
    report = ProblemReport(id=_id(), journey_id=journey, problem="pain", symptoms="", advice="call_back",
                           reported_by="patient", reported_at=NOW)
    soon, later, past, done = _checkups(journey, 3, 12, -1) + _checkups(journey, 1, status="done")
    with store.session() as session:
        session.add(Plan(id=journey, journey_id=journey, surgery_date=TODAY - timedelta(days=60),
                         time_zone="Europe/Lisbon", created_at=NOW))
        session.flush()
        session.add_all([*_image(journey, 2), *_image(journey, -1), *_image(journey, -3, status="done"),
                         report, soon, later, past, done])
        session.flush()
        session.add_all([Escalation(id=_id(), journey_id=journey, report_id=report.id, kind="pain",
                                    act_by=TODAY - timedelta(days=1)),
                         Escalation(id=_id(), journey_id=journey, report_id=report.id, kind="infection",
                                    act_by=TODAY + timedelta(days=1), status="resolved"),
                         CheckupMoveRequest(id=_id(), journey_id=journey, checkup_id=later.id,
                                            reason="travelling", requested_at=NOW),
                         CheckupMoveRequest(id=_id(), journey_id=journey, checkup_id=done.id, reason="unwell",
                                            requested_at=NOW)])
    found = _asked(store)
    assert [(i["overdue"], i["code"]) for i in found["image_review"]["items"]] == [
        (True, "left_femur"), (False, "left_femur")]
    escalations = found["escalation"]["items"]
    assert [(i["code"], i["overdue"], i["since"] is not None) for i in escalations] == [("pain", True, True)]
    assert [i["reference"] for i in found["checkup_to_hold"]["items"]] == [past.id, soon.id]
    assert [i["overdue"] for i in found["checkup_to_hold"]["items"]] == [True, False]
    moves = found["checkup_move_request"]
    assert moves["total"] == 1
    assert (moves["items"][0]["reference"], moves["items"][0]["code"]) == (later.id, "travelling")
