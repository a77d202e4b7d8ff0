"""What a message is sent to, asked at send time: the enquirer's email, name and language; nothing once
erased. The gateway issues the message's personal link, recorded like a staff member's."""
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from services.enquiries.models import Enquiry
from services.enquiries.tests.integration.helpers import ok, submitted, suitability
from services.enquiries.tests.integration.test_erasure import request_erasure
from shared.testing.infra import wait_for


def _rpc(stack, service: str) -> ServiceRpcProxy:
    return ServiceRpcProxy(service, {"AMQP_URI": stack.amqp_uri})


def test_notifications_reads_the_contact_details_at_send_time_and_none_once_erased(stack, public):
    form = suitability(preferred_language="nl", name="Sanne Testpersoon")
    journey = submitted(public, form)["journey_id"]
    with _rpc(stack, "enquiries") as enquiries:
        contact = enquiries.contact_for(journey)
        assert (contact["email"], contact["name"], contact["language"]) == (
            form["email"], "Sanne Testpersoon", "nl")
        request_erasure(stack, journey)

        def erased():
            with stack.store.session() as session:
                return session.query(Enquiry).filter_by(journey_id=journey).one().erased_at
        wait_for(erased)
        with pytest.raises(RemoteError) as refused:
            enquiries.contact_for(journey)
    assert refused.value.exc_type == "NotFound"


def test_a_messages_personal_link_is_issued_by_the_gateway_and_listed_for_staff(stack, public, staff):
    journey = submitted(public, suitability())["journey_id"]
    with _rpc(stack, "gateway") as gateway:
        link = gateway.issue_patient_link(journey, {"purpose": "payment"})
    assert link["url"].startswith("http://127.0.0.1:8000/ui/from-email?token=")
    listed = ok(staff("intake_coordinator").get(f"/api/journeys/{journey}/patient-links"), 200)
    assert [entry["issued_by"] for entry in listed] == ["notifications"]
    opened = public.get(link["url"].replace("http://127.0.0.1:8000", ""), allow_redirects=False)
    assert opened.status_code == 303 and opened.headers["Location"] == "/p/journey"
