"""The handoff: an event the broker confirmed on a durable queue, or Unavailable, never a silent drop."""
import json
import subprocess
import sys

import pytest
from kombu import Connection, Exchange, Queue
from nameko.rpc import rpc

from shared.config import ROOT
from shared.contracts.api.webhooks import PaymentWebhookReceived
from shared.errors import Unavailable
from shared.handoff import Handoff, handoff_event, handoff_id
from shared.testing.cluster import service_config


class HandingOver:
    name = "handing_over"
    handoff = Handoff()

    @rpc
    def ping(self):
        return "pong"


def _handoff(cluster, amqp_uri) -> Handoff:
    container = cluster.start(HandingOver, service_config(amqp_uri, {}))
    return next(d for d in container.dependencies if isinstance(d, Handoff))


def test_an_event_no_queue_takes_is_unavailable_and_one_a_queue_takes_is_there_with_its_derived_id(
        cluster, amqp_uri):
    handoff = _handoff(cluster, amqp_uri)
    event = handoff_event("handing_over", PaymentWebhookReceived, {"id": "evt_1", "type": "t"})
    with pytest.raises(Unavailable):
        handoff.hand_over(event)   # nothing is bound to the exchange yet: the broker returns it
    queue = Queue("handed-over", Exchange("handing_over.events", type="topic", durable=True),
                  routing_key="payment_webhook_received", durable=True)
    with Connection(amqp_uri) as conn:
        queue(conn.channel()).declare()
        handoff.hand_over(event)
        handoff.hand_over(handoff_event("handing_over", PaymentWebhookReceived, {"id": "evt_1", "type": "t"}))
        bound = queue(conn.channel())
        bodies = [json.loads(message.body) for message in iter(lambda: bound.get(no_ack=True), None)]
    assert [body["event_id"] for body in bodies] == [handoff_id("payment_webhook_received", "evt_1")] * 2
    assert bodies[0]["payload"] == {"event": {"id": "evt_1", "type": "t"}}
    assert "evt_1" not in bodies[0]["event_id"]   # the provider's id is not in what logs name


def test_a_process_that_imports_no_gateway_code_still_reads_a_handed_over_webhook():
    # payments and travel run without the gateway's modules: the envelope's contract must load anyway
    code = ("from shared.events import schema_for; "
            "print(sorted(schema_for('payment_webhook_received', 1).fields), "
            "sorted(schema_for('agency_webhook_received', 1).fields))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["['event']", "['event']"], out.stderr
