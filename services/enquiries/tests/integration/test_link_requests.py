"""A new personal link asked for by email address: enquiries finds the address's newest active journey in
any case and without surrounding spaces and has notifications send the link; an unknown, erased, declined
or brochure-only address sends nothing, and the answer is the same either way."""
import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.enquiries.models import Enquiry
from services.enquiries.tests.integration.helpers import ok, submitted, suitability
from services.enquiries.tests.integration.test_erasure import request_erasure
from shared.consumers import rpc
from shared.testing.cluster import Cluster, service_config
from shared.testing.infra import wait_for

ASKED: list[str] = []   # the journeys notifications was asked to send a new link for


class Notifications:
    name = "notifications"

    @rpc
    def send_new_link(self, journey_id):
        ASKED.append(journey_id)
        return {"recorded": True}


@pytest.fixture(scope="module")
def notifications(stack):
    cluster = Cluster(stack.amqp_uri)
    cluster.start(Notifications, service_config(stack.amqp_uri, {}))
    yield ASKED
    cluster.stop_all()


def _ask(stack, email: str):
    with ServiceRpcProxy("enquiries", {"AMQP_URI": stack.amqp_uri}) as enquiries:
        return enquiries.request_patient_link(email)


def test_the_newest_active_journey_of_an_address_in_any_case_gets_the_new_link(stack, public, notifications):
    notifications.clear()
    email = f"Sam.{uuid.uuid4().hex[:8]}@Example.org"
    older = submitted(public, suitability(email=email, name="Sam Older"))["journey_id"]
    newer = submitted(public, suitability(email=email.lower(), name="Sam Newer"))["journey_id"]
    ok(public.post("/api/enquiries/brochure", json={"name": "Sam", "email": email, "country": "PT",
                                                    "preferred_language": "pt", "privacy_consent": True}))
    assert older != newer
    assert _ask(stack, f"  {email.upper()} ") is None             # the caller learns nothing
    assert notifications == [newer]


def test_an_unknown_erased_or_declined_address_sends_nothing_and_answers_alike(stack, public, notifications):
    notifications.clear()
    assert _ask(stack, f"nobody.{uuid.uuid4().hex[:8]}@example.org") is None
    declined_email = f"dee.{uuid.uuid4().hex[:8]}@example.org"
    submitted(public, suitability(email=declined_email, diabetes=True))
    assert _ask(stack, declined_email) is None
    erased_email = f"eve.{uuid.uuid4().hex[:8]}@example.org"
    journey = submitted(public, suitability(email=erased_email))["journey_id"]
    request_erasure(stack, journey)

    def erased():
        with stack.store.session() as session:
            return session.query(Enquiry).filter_by(journey_id=journey).one().erased_at
    wait_for(erased)
    assert _ask(stack, erased_email) is None
    assert notifications == []
