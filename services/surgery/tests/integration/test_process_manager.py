"""Surgery is scheduled once a patient is accepted and has paid the deposit: in either order, once."""
import uuid
from datetime import date, timedelta

import pytest

from services.surgery.domain.calendar import Plan, plan_for
from services.surgery.models import Base
from services.surgery.settings import parse as parse_settings
from services.surgery.tests.integration.support import (
    PAYMENT,
    accepted,
    event,
    outbox,
    publish,
    surgery_running,
    tapped,
    wait_handled,
)
from shared.clock import clinic_clock
from shared.erasure import KERNEL_TABLES
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def running(request, tmp_path_factory):
    """The service on PostgreSQL, and on SQLite (the embedded default)."""
    sqlite_path = tmp_path_factory.mktemp("surgery") / "surgery.db" if request.param == "sqlite" else None
    with surgery_running(sqlite_path=sqlite_path) as (cluster, config, store):
        yield config, store


def _facts(journey, earliest=None):
    return (event("enquiries", "patient_accepted", accepted(earliest), journey),
            event("payments", "deposit_paid", PAYMENT, journey))


def _exactly_one_plan(running, tap, journey) -> Plan:
    config, store = running
    committed = outbox(store, journey, "surgery_scheduled")
    assert len(committed) == 1
    wait_for(lambda: tapped(tap, journey, "surgery_scheduled"))
    assert len(tapped(tap, journey, "surgery_scheduled")) == 1
    payload = dict(committed[0]["payload"])
    payload.pop("surgery_id")
    plan = Plan(**{name: _date(value) for name, value in payload.items()})
    assert plan == plan_for(plan.surgery_date, parse_settings(config).rules)
    return plan


def _date(text):
    return date.fromisoformat(text)


def test_accepted_then_paid_each_delivered_twice_schedules_exactly_once(running):
    config, store = running
    tap, journey = EventTap(config["AMQP_URI"], "surgery"), str(uuid.uuid4())
    acceptance, deposit = _facts(journey)
    publish(config["AMQP_URI"], acceptance, acceptance)
    wait_handled(store, acceptance)
    assert outbox(store, journey) == []          # accepted but not paid: nothing yet
    publish(config["AMQP_URI"], deposit, deposit)
    wait_handled(store, deposit)
    _exactly_one_plan(running, tap, journey)
    tap.close()


def test_paid_then_accepted_each_delivered_twice_schedules_exactly_once_after_the_earliest_date(running):
    config, store = running
    earliest = clinic_clock(config).today() + timedelta(days=60)
    tap, journey = EventTap(config["AMQP_URI"], "surgery"), str(uuid.uuid4())
    acceptance, deposit = _facts(journey, earliest)
    publish(config["AMQP_URI"], deposit, deposit)
    wait_handled(store, deposit)
    assert outbox(store, journey) == []
    publish(config["AMQP_URI"], acceptance, acceptance)
    wait_handled(store, acceptance)
    plan = _exactly_one_plan(running, tap, journey)
    assert plan.surgery_date >= earliest
    tap.close()


def test_both_facts_arriving_together_twice_over_with_new_ids_schedule_exactly_once(running):
    config, store = running
    tap, journey = EventTap(config["AMQP_URI"], "surgery"), str(uuid.uuid4())
    first, second = _facts(journey), _facts(journey)    # the producers announced each fact twice
    publish(config["AMQP_URI"], first[1], first[0], second[0], second[1], first[0], second[1])
    wait_handled(store, *first, *second)
    plan = _exactly_one_plan(running, tap, journey)
    assert plan.arrival_by >= clinic_clock(config).today() + timedelta(days=21)
    tap.close()


def test_a_patient_whose_earliest_date_lies_beyond_the_horizon_is_blocked_with_the_reason(running):
    config, store = running
    tap, journey = EventTap(config["AMQP_URI"], "surgery"), str(uuid.uuid4())
    facts = _facts(journey, clinic_clock(config).today() + timedelta(days=400))
    publish(config["AMQP_URI"], *facts)
    wait_handled(store, *facts)
    assert outbox(store, journey, "surgery_scheduled") == []
    [blocked] = outbox(store, journey, "surgery_scheduling_blocked")
    assert blocked["payload"]["blocked_by"] == ["earliest_surgery_date"]
    tap.close()


def test_an_erasure_request_is_confirmed_as_nothing_held(running):
    config, store = running
    tap, journey = EventTap(config["AMQP_URI"], "surgery"), str(uuid.uuid4())
    request = event("journey", "erasure_requested", {"request_id": "req-7"}, journey)
    publish(config["AMQP_URI"], request)
    wait_for(lambda: tapped(tap, journey, "erasure_confirmed"))
    [confirmed] = outbox(store, journey, "erasure_confirmed")
    assert len(tapped(tap, journey, "erasure_confirmed")) == 1
    assert confirmed["payload"] == {"request_id": "req-7", "service": "surgery", "erased": True,
                                    "retained_reason": None}
    tap.close()


def test_a_withdrawn_consent_cancels_a_scheduled_surgery_and_a_purge_leaves_no_row_of_it(running):
    config, store = running
    tap, journey = EventTap(config["AMQP_URI"], "surgery"), str(uuid.uuid4())
    publish(config["AMQP_URI"], *_facts(journey))
    wait_for(lambda: tapped(tap, journey, "surgery_scheduled"))
    withdrawn = event("enquiries", "consent_withdrawn", {"enquiry_id": "E-1", "purpose": "health_data",
                                                         "channel": "patient_portal"}, journey)
    publish(config["AMQP_URI"], withdrawn)
    [cancelled] = wait_for(lambda: tapped(tap, journey, "surgery_cancelled"))
    assert cancelled["payload"]["reason_code"] == "consent_withdrawn"
    publish(config["AMQP_URI"], event("journey", "erasure_requested", {"request_id": "p-1", "purge": True},
                                      journey))
    wait_for(lambda: tapped(tap, journey, "erasure_confirmed"))
    with store.session() as session:
        tables = [t for t in Base.metadata.sorted_tables
                  if "journey_id" in t.c and t.name not in KERNEL_TABLES]
        left = {t.name: session.execute(t.select().where(t.c.journey_id == journey)).all() for t in tables}
    assert {name: rows for name, rows in left.items() if rows} == {}
    assert outbox(store, journey, "surgery_scheduled") == []   # the sent events' payloads went too
    tap.close()
