"""The right to erasure: enquirers are forgotten with their health facts, patients' medical records
and screenings that declined are kept until their retention ends, and a purge erases them too."""
import json
import uuid

from kombu import Connection, Exchange

from services.enquiries.models import Enquiry, QuestionnaireResponse
from services.enquiries.tests.integration.helpers import (
    ANSWERS,
    accepted_journey,
    events_of,
    fill_in_and_submit,
    ok,
    patient_client,
    screen_to_the_questionnaire,
    submitted,
    suitability,
)
from shared.events import new_event, to_wire
from shared.testing.infra import wait_for


def request_erasure(stack, journey: str, purge: bool = False) -> str:
    """Publish erasure_requested as the journey service would (a purge when the retention ended)."""
    request_id = str(uuid.uuid4())
    event = new_event("journey", "erasure_requested", {"request_id": request_id, "purge": purge}, journey)
    exchange = Exchange("journey.events", type="topic", durable=True)
    with Connection(stack.amqp_uri) as conn:
        conn.Producer().publish(json.dumps(to_wire(event)).encode(), exchange=exchange,
                                routing_key="erasure_requested", content_type="application/json",
                                content_encoding="utf-8", delivery_mode=2, declare=[exchange])
    return request_id


def confirmation(tap, journey: str) -> dict:
    events = events_of(tap, journey, "erasure_confirmed")
    return next(e for e in events if e["type"] == "erasure_confirmed")["payload"]


def stored(stack, journey: str) -> tuple[Enquiry, QuestionnaireResponse | None]:
    with stack.store.session() as session:
        enquiry = session.query(Enquiry).filter_by(journey_id=journey).one()
        return enquiry, session.get(QuestionnaireResponse, enquiry.id)


def test_an_enquirer_who_never_became_a_patient_is_erased_and_the_erasure_confirmed(
        stack, public, staff, tap):
    journey = submitted(public, suitability(smoking_status="current"))["journey_id"]
    ok(staff("specialist").post(f"/api/enquiries/{journey}/prescreen/override",
                                json={"outcome": "passed", "reason": "nicotine patches since March"}))
    with patient_client(stack, staff, journey) as patient:
        ok(patient.put(f"/api/enquiries/{journey}/questionnaire", json={"answers": ANSWERS}), 200)
    request_id = request_erasure(stack, journey)
    assert confirmation(tap, journey) == {"request_id": request_id, "service": "enquiries", "erased": True,
                                          "retained_reason": None}
    enquiry, response = stored(stack, journey)
    personal = (enquiry.name, enquiry.email, enquiry.phone, enquiry.date_of_birth,
                enquiry.prosthesis_complaints, enquiry.other_conditions, enquiry.fingerprint)
    assert personal == (None,) * 7
    health = (enquiry.amputation_level, enquiry.amputation_side, enquiry.years_since_amputation,
              enquiry.smoking_status, enquiry.diabetes, enquiry.circulatory_disease, enquiry.body_weight_kg)
    assert health == (None,) * 7   # health facts are personal too: none kept
    assert enquiry.erased_at is not None
    assert response is None
    detail = ok(staff("specialist").get(f"/api/enquiries/{journey}"), 200)
    assert detail["prescreens"][-1]["reason"] is None and detail["prescreens"][-1]["rules_fired"] == []
    assert (detail["country"], detail["kind"]) == ("PT", "suitability")   # the skeleton


def test_an_accepted_patients_record_is_kept_for_the_legal_retention_period(stack, public, staff, tap):
    journey = accepted_journey(stack, public, staff)
    request_id = request_erasure(stack, journey)
    assert confirmation(tap, journey) == {"request_id": request_id, "service": "enquiries", "erased": False,
                                          "retained_reason": "medical record retention (20 years)"}
    enquiry, response = stored(stack, journey)
    assert enquiry.name == "Ana Testperson" and enquiry.erased_at is None
    assert response.answers == ANSWERS


def test_someone_declined_after_clinical_screening_keeps_their_screening_record_until_its_purge(
        stack, public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    screen_to_the_questionnaire(staff, journey)
    with patient_client(stack, staff, journey) as patient:
        fill_in_and_submit(patient, journey)
    ok(staff("specialist").post(f"/api/enquiries/{journey}/decision",
                                json={"decision": "declined", "reasons": ["bone_quality"]}))
    request_erasure(stack, journey)
    kept = confirmation(tap, journey)
    assert (kept["erased"], kept["retained_reason"]) == (
        False, "clinical screening record kept for the clinic's retention period")
    assert stored(stack, journey)[0].body_weight_kg is not None
    purge = request_erasure(stack, journey, purge=True)
    wait_for(lambda: tap.drain() is not None and any(
        e["type"] == "erasure_confirmed" and e["payload"]["request_id"] == purge for e in tap.events),
        message="the purge's answer")
    enquiry, response = stored(stack, journey)
    erased = (enquiry.name, enquiry.body_weight_kg, enquiry.diabetes, enquiry.decision_reasons, response)
    assert erased == (None,) * 5


def test_a_purge_erases_a_patients_record_once_its_retention_ended(stack, public, staff, tap):
    journey = accepted_journey(stack, public, staff)
    request_id = request_erasure(stack, journey, purge=True)
    assert confirmation(tap, journey) == {"request_id": request_id, "service": "enquiries", "erased": True,
                                          "retained_reason": None}
    enquiry, response = stored(stack, journey)
    assert (enquiry.name, enquiry.amputation_level, enquiry.body_weight_kg, response) == (None,) * 4


def test_an_erasure_request_delivered_twice_is_answered_once(stack, public, tap):
    journey = submitted(public, suitability())["journey_id"]
    event = new_event("journey", "erasure_requested", {"request_id": "r-1"}, journey)
    exchange = Exchange("journey.events", type="topic", durable=True)
    with Connection(stack.amqp_uri) as conn:
        for _ in range(2):
            conn.Producer().publish(json.dumps(to_wire(event)).encode(), exchange=exchange,
                                    routing_key="erasure_requested", content_type="application/json",
                                    content_encoding="utf-8", delivery_mode=2, declare=[exchange])
    confirmation(tap, journey)
    marker = submitted(public, suitability())["journey_id"]
    request_erasure(stack, marker)
    confirmation(tap, marker)  # later traffic: both copies of the first were consumed by now
    assert [e["type"] for e in tap.events if e["journey_id"] == journey].count("erasure_confirmed") == 1
