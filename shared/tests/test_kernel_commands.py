"""RPC commands carried out once per command id: a repeat answers with the first reply."""
import uuid

import eventlet
import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from shared.tests import sample


def call(config, method, *args, command_id=None):
    context = {"command_id": command_id} if command_id else {}
    with ServiceRpcProxy("kernel_producer", config, context_data=context, timeout=30) as producer:
        return getattr(producer, method)(*args)


def kept_commands(store) -> int:
    commands = sample.kernel.commands
    with store.session() as session:
        return session.execute(select(func.count()).select_from(commands)).scalar()


def test_a_command_delivered_twice_with_one_command_id_has_its_effect_once_and_the_first_reply(
        running, stores):
    journey, command = str(uuid.uuid4()), str(uuid.uuid4())
    first = call(running, "record", journey, command_id=command)
    second = call(running, "record", journey, command_id=command)
    assert second == first
    assert sample.note_count(stores[0], journey) == 1


def test_the_same_command_sent_twice_at_once_has_its_effect_once_and_both_get_its_reply(running, stores):
    journey, command = str(uuid.uuid4()), str(uuid.uuid4())
    calls = [eventlet.spawn(call, running, "record_slowly", journey, 0.3, command_id=command)
             for _ in range(2)]
    replies = [c.wait() for c in calls]
    assert replies[0] == replies[1]
    assert sample.note_count(stores[0], journey) == 1


def test_calls_without_a_command_id_are_each_carried_out(running, stores):
    journey = str(uuid.uuid4())
    assert call(running, "record", journey) != call(running, "record", journey)
    assert sample.note_count(stores[0], journey) == 2
    assert kept_commands(stores[0]) == 0


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_command_that_failed_keeps_nothing_so_its_retry_runs_afresh(running, stores):
    journey, command = str(uuid.uuid4()), str(uuid.uuid4())
    with pytest.raises(Exception, match="Boom"):
        with ServiceRpcProxy("kernel_producer", running, context_data={"command_id": command}) as producer:
            producer.record(journey, fail_after_emit=True)
    assert kept_commands(stores[0]) == 0
    assert call(running, "record", journey, command_id=command) == call(
        running, "record", journey, command_id=command)
    assert sample.note_count(stores[0], journey) == 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_one_command_id_counts_per_method(running, stores):
    journey, command = str(uuid.uuid4()), str(uuid.uuid4())
    call(running, "record", journey, command_id=command)
    call(running, "record_slowly", journey, 0, command_id=command)
    assert sample.note_count(stores[0], journey) == 2
