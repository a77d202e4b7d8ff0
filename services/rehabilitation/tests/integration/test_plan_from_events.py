"""The plan follows the other stages' events, on the real broker and PostgreSQL."""
import dataclasses
import uuid
from datetime import timedelta

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.rehabilitation.models import RehabPlan
from services.rehabilitation.tests.integration import support
from services.rehabilitation.tests.integration.conftest import migrated_store
from services.rehabilitation.tests.integration.support import (
    TODAY,
    accepted,
    discharged,
    for_journey,
    publish,
)
from shared.events import new_event
from shared.testing.cluster import EventTap
from shared.testing.infra import temp_pg_database, wait_for


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def store(request, tmp_path_factory):
    """These tests run on both databases: SQLite is the embedded default."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('rehab')}/rehabilitation.db"
        with migrated_store(url) as store:
            yield store
    else:
        with temp_pg_database() as url, migrated_store(url) as store:
            yield store


@pytest.fixture
def tap(broker, stack):
    tap = EventTap(broker, "rehabilitation")
    yield tap
    tap.close()


def plans(store, journey):
    with store.session() as session:
        query = select(func.count()).select_from(RehabPlan).where(RehabPlan.journey_id == journey)
        return session.scalar(query)


def view(config, journey):
    """The plan, or an empty dict while the service has not heard of the journey yet."""
    with ServiceRpcProxy("rehabilitation", config) as rehab:
        try:
            return rehab.get_plan(journey)
        except RemoteError as exc:
            if exc.exc_type != "NotFound":
                raise
            return {}


def test_a_discharge_creates_the_plan_once_even_when_delivered_twice(broker, stack, store, tap):
    journey = str(uuid.uuid4())
    publish(broker, accepted(journey, weight="83.0"))
    wait_for(lambda: plans(store, journey) == 1)
    event = discharged(journey)
    publish(broker, event)
    publish(broker, event)
    publish(broker, discharged(journey))  # the same fact again, under a new event id
    created = wait_for(lambda: for_journey(tap.drain(), journey, "rehab_plan_created"))
    assert created[0]["payload"] == {"plan_id": created[0]["payload"]["plan_id"],
                                     "start_date": support.DISCHARGED.isoformat(),
                                     "planned_end": support.REHAB_END.isoformat(), "target_load_kg": "41.0"}
    publish(broker, new_event("journey", "erasure_requested", {"request_id": "r-1"}, journey))
    wait_for(lambda: for_journey(tap.drain(), journey, "erasure_confirmed"))  # later traffic: all handled
    assert len(for_journey(tap.events, journey, "rehab_plan_created")) == 1
    assert plans(store, journey) == 1
    plan = view(stack[1], journey)
    assert (plan["status"], plan["phase"], plan["start_load_kg"], plan["ladder_kg"][:2]) == (
        "active", "load_build_up", "20.0", ["20.0", "25.0"])
    assert len(plan["planned_sessions"]) == 8


def test_a_discharge_before_the_body_weight_is_known_waits_for_it(broker, stack, store, tap):
    journey = str(uuid.uuid4())
    publish(broker, discharged(journey))
    wait_for(lambda: view(stack[1], journey).get("phase") == "awaiting_body_weight")
    publish(broker, accepted(journey, weight="70.4"))
    created = wait_for(lambda: for_journey(tap.drain(), journey, "rehab_plan_created"))
    assert created[0]["payload"]["target_load_kg"] == "35.0"


def test_a_rescheduled_surgery_moves_the_expected_plan_and_a_cancelled_one_withdraws_it(broker, stack, tap):
    journey = str(uuid.uuid4())
    first = TODAY + timedelta(days=30)
    publish(broker, support.surgery_plan(journey, "surgery_scheduled", first))
    wait_for(lambda: view(stack[1], journey).get("expected_start") == (first + timedelta(days=4)).isoformat())
    moved = first + timedelta(days=14)
    rescheduled = support.surgery_plan(journey, "surgery_rescheduled", moved, reason_code="patient_unfit")
    publish(broker, rescheduled)
    expected = (moved + timedelta(days=4)).isoformat()
    plan = wait_for(lambda: (p := view(stack[1], journey))["expected_start"] == expected and p)
    assert plan["planned_end"] == (moved + timedelta(days=35)).isoformat()
    assert plan["planned_sessions"][0] == (moved + timedelta(days=5)).isoformat()
    publish(broker, new_event("surgery", "surgery_cancelled", {"reason_code": "patient_withdrew"}, journey))
    withdrawn = wait_for(lambda: for_journey(tap.drain(), journey, "rehab_plan_withdrawn"))
    assert withdrawn[0]["payload"]["reason_code"] == "patient_withdrew"
    stale = dataclasses.replace(rescheduled, event_id=str(uuid.uuid4()))  # an older fact arriving late
    publish(broker, stale)
    publish(broker, new_event("journey", "erasure_requested", {"request_id": "r-2"}, journey))
    wait_for(lambda: for_journey(tap.drain(), journey, "erasure_confirmed"))
    assert view(stack[1], journey)["status"] == "withdrawn"


def test_an_erasure_request_is_confirmed_with_nothing_to_erase(broker, stack, tap):
    journey = str(uuid.uuid4())
    publish(broker, new_event("journey", "erasure_requested", {"request_id": "r-3"}, journey))
    confirmed = wait_for(lambda: for_journey(tap.drain(), journey, "erasure_confirmed"))
    assert confirmed[0]["payload"] == {"request_id": "r-3", "service": "rehabilitation", "erased": True,
                                       "retained_reason": None}


def test_a_withdrawn_consent_withdraws_a_plan_under_way_and_one_still_in_the_ward_never_starts(broker, stack,
                                                                                              tap):
    under_way, in_ward = str(uuid.uuid4()), str(uuid.uuid4())
    for journey in (under_way, in_ward):
        publish(broker, accepted(journey))
    publish(broker, discharged(under_way))
    wait_for(lambda: for_journey(tap.drain(), under_way, "rehab_plan_created"))
    for journey in (under_way, in_ward):
        publish(broker, new_event("enquiries", "consent_withdrawn", {
            "enquiry_id": "E-1", "purpose": "health_data", "channel": "patient_portal"}, journey))
    wait_for(lambda: len([e for e in tap.drain() if e["type"] == "rehab_plan_withdrawn"
                          and e["journey_id"] in (under_way, in_ward)]) == 2)
    publish(broker, discharged(in_ward))   # the ward discharges them: no plan starts
    publish(broker, new_event("journey", "erasure_requested", {"request_id": "r-4"}, in_ward))
    wait_for(lambda: for_journey(tap.drain(), in_ward, "erasure_confirmed"))   # later traffic: all handled
    assert for_journey(tap.events, in_ward, "rehab_plan_created") == []
    for journey in (under_way, in_ward):
        [withdrawn] = for_journey(tap.events, journey, "rehab_plan_withdrawn")
        assert withdrawn["payload"]["reason_code"] == "consent_withdrawn"
        assert view(stack[1], journey)["status"] == "withdrawn"
