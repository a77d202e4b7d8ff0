"""Rehabilitation's waiting work (My work) over its own RPC: supervised sessions due and not recorded, plans
behind, and a psychologist asked for; each leaves once it is done."""
import uuid
from datetime import date, datetime, timedelta

import pytest
import requests
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from services.rehabilitation.domain import physio_schedule
from services.rehabilitation.handlers.work import next_session_due
from services.rehabilitation.tests.integration.support import (
    DISCHARGED,
    REHAB_END,
    TODAY,
    accepted,
    discharged,
    login,
    publish,
)
from shared.clock import ClinicClock
from shared.testing.infra import wait_for

KINDS = ["session_due", "plan_behind", "psychologist_requested"]


@pytest.fixture(scope="module")
def api(stack):
    base, config = stack
    return base, config, login(base, "physiotherapist"), login(base, "psychologist")


def _queues(config) -> dict:
    with ServiceRpcProxy("rehabilitation", config) as rehabilitation:
        answer = rehabilitation.work_queues({"kinds": KINDS, "limit": 50})
    return {queue["kind"]: queue for queue in answer["queues"]}


def _mine(queues: dict, kind: str, journey: str) -> list[dict]:
    return [item for item in queues[kind]["items"] if item["journey_id"] == journey]


def _day(moment: str) -> date:
    """The clinic's day of an instant."""
    return datetime.fromisoformat(moment).astimezone(ClinicClock().timezone).date()


def _running(api) -> str:
    base, config, physio, _ = api
    journey = str(uuid.uuid4())
    publish(config["AMQP_URI"], accepted(journey))
    publish(config["AMQP_URI"], discharged(journey))
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/rehabilitation", headers=physio).json()
             .get("status") == "active")
    return journey


def test_the_first_planned_session_not_recorded_is_due_and_leaves_once_every_one_is_recorded(api):
    base, config, physio, _ = api
    journey = _running(api)
    planned = [day for day in physio_schedule(DISCHARGED, REHAB_END, 2) if day <= TODAY]
    due = _mine(_queues(config), "session_due", journey)
    assert due == [{"journey_id": journey, "reference": due[0]["reference"], "code": None,
                    "count": len(planned), "since": None, "due_at": None, "due_on": planned[0].isoformat(),
                    "overdue": True}]
    for day in planned:
        answer = requests.post(f"{base}/api/journeys/{journey}/rehabilitation/missed-sessions",
                               headers=physio,
                               json={"session_date": day.isoformat(), "reason_code": "unwell"})
        assert answer.status_code == 201, answer.text
    assert _mine(_queues(config), "session_due", journey) == []


def test_missed_days_put_a_plan_behind_and_a_psychologist_asked_for_waits_for_a_session(api):
    base, config, physio, psychologist = api
    journey = _running(api)
    path = f"{base}/api/journeys/{journey}/rehabilitation"
    assert _mine(_queues(config), "plan_behind", journey) == []
    missed = DISCHARGED + timedelta(days=2)
    answer = requests.post(f"{path}/days", headers=physio,
                           json={"day": missed.isoformat(), "status": "missed", "reason_code": "unwell"})
    assert answer.status_code == 201, answer.text
    assert requests.post(f"{path}/psychologist-request", headers=physio).status_code == 201
    queues = _queues(config)
    behind = _mine(queues, "plan_behind", journey)
    assert [(b["code"], b["count"], _day(b["since"]), b["overdue"]) for b in behind] == [
        ("days_behind", 1, missed, False)]
    assert [(_day(r["since"]), r["overdue"]) for r in _mine(queues, "psychologist_requested", journey)] == [
        (TODAY, False)]
    held = requests.post(f"{path}/psychologist-sessions", headers=psychologist,
                         json={"session_date": TODAY.isoformat(), "duration_minutes": 45})
    assert held.status_code == 201, held.text
    assert _mine(_queues(config), "psychologist_requested", journey) == []


def test_a_kind_rehabilitation_does_not_know_is_refused_in_a_sentence(api):
    _, config, _, _ = api
    with ServiceRpcProxy("rehabilitation", config) as rehabilitation, pytest.raises(RemoteError) as refused:
        rehabilitation.work_queues({"kinds": ["image_review"]})
    assert refused.value.exc_type == "Invalid" and "image_review" in refused.value.value


def test_the_next_session_due_is_the_first_planned_one_no_record_accounts_for():
    week = [TODAY - timedelta(days=6), TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=3)]
    assert next_session_due(week, 0, TODAY) == (week[0], 3)
    assert next_session_due(week, 2, TODAY) == (week[2], 1)
    assert next_session_due(week, 3, TODAY) is None
