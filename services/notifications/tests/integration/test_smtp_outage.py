"""The relay away: messages wait on the kernel's retry schedule, none lost or doubled; then parked."""

import time

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.notifications.tests.integration.conftest import running
from services.notifications.tests.integration.support import contact
from shared.testing.infra import wait_for

OUTAGE_SECONDS = 60


def _refunds(system, journeys: list[str]) -> None:
    for journey in journeys:
        for cents in (1000, 2000):
            system.publish("payments", "refund_issued", {"invoice_id": "I", "refund_cents": cents}, journey)


@pytest.mark.timeout(240)
def test_the_smtp_server_down_for_a_minute_every_message_is_sent_once_when_it_returns(tmp_path):
    # Waits of 2, 5, 10 then 15 s: a minute's outage is outlived by the schedule, not by a worker.
    with running(tmp_path / "mail", delays_seconds=[2, 5, 10, 15, 15, 15, 15], jitter=0) as system:
        people = [contact(language) for language in ("nl", "de", "fr", "es", "en")]
        system.sink.stop()
        _refunds(system, [journey for journey, _ in people])
        wait_for(
            lambda: (
                all(m.attempts >= 1 for journey, _ in people for m in system.messages(journey))
                and sum(len(system.messages(journey)) for journey, _ in people) == 10
            ),
            timeout=20,
        )
        time.sleep(OUTAGE_SECONDS)
        assert list(system.sink.folder.glob("*.eml")) == []
        system.sink.start()
        wait_for(
            lambda: all(m.status == "sent" for journey, _ in people for m in system.messages(journey)),
            timeout=60,
        )
        for journey, person in people:
            mails = system.sink.mails_to(person["email"])
            assert len(mails) == 2 and len({m["Message-ID"] for m in mails}) == 2
            assert all(m.attempts > 1 for m in system.messages(journey))   # tried during the outage


def test_a_message_the_relay_keeps_refusing_is_parked_for_an_operator_with_no_address_in_its_error(tmp_path):
    with running(tmp_path / "mail", delays_seconds=[0.05, 0.1], jitter=0) as system:
        journey, person = contact("en")
        system.sink.stop()
        system.publish("payments", "refund_issued", {"invoice_id": "I", "refund_cents": 1000}, journey)
        [message] = wait_for(lambda: (m := system.messages(journey, status="parked")) and m, timeout=20)
        assert message.attempts == 3   # the first try and one per wait of the schedule
        assert person["email"] not in (message.last_error or "")
        assert message.last_error
        system.sink.start()   # the relay is fixed: an operator sends it again
        with ServiceRpcProxy("notifications", system.config) as notifications:
            [listed] = notifications.parked_messages()
            assert (listed["id"], listed["template"]) == (message.id, "refund_issued")
            assert notifications.retry_message(message.id) == {"id": message.id, "retried": True}
        wait_for(lambda: system.sink.mails_to(person["email"]))
