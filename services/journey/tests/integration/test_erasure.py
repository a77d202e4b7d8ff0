"""Erasure: an administrator asks, every service answers, the journey records each answer."""
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select

from services.journey import models
from services.journey.tests.conftest import login, publish
from services.journey.tests.story import event, new_journey, story
from shared import deadletters
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for

OTHERS = ("enquiries", "payments", "surgery", "rehabilitation", "travel", "followup", "notifications")


def _requests(base, admin, journey):
    response = requests.get(f"{base}/api/journeys/{journey}/erasure", headers=admin)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_service_answers_an_enquirers_erasure_and_its_dead_letters_are_gone(
        stack, amqp_uri, journey_db):
    base, _ = stack
    admin, journey = login(base, "administrator"), new_journey()
    publish(amqp_uri, event("enquiries", "enquiry_received", {
        "enquiry_id": "E-9", "kind": "suitability", "country": "FR", "preferred_language": "fr"}, journey))
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=admin).ok)
    deadletters.park(journey_db, consumer="journey.on_enquiry_received", queue="q", attempts=4,
                     body=f'{{"journey_id": "{journey}", "note": "Jeanne Dupont"}}', error="undecodable")
    tap = EventTap(amqp_uri, "journey", "erasure_requested")

    asked = requests.post(f"{base}/api/journeys/{journey}/erasure", headers=admin)
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "pending" and len(asked.json()["awaiting"]) == len(OTHERS) + 1
    assert requests.post(f"{base}/api/journeys/{journey}/erasure", headers=admin).status_code == 409
    request = wait_for(lambda: tap.of_type("erasure_requested"))[0]
    assert request["payload"] == {"request_id": asked.json()["request_id"], "purge": False}
    publish(amqp_uri, *(event(service, "erasure_confirmed", {"request_id": request["payload"]["request_id"],
                                                             "service": service, "erased": True},
                              journey, cause=request["event_id"]) for service in OTHERS))

    done = wait_for(lambda: [r for r in _requests(base, admin, journey) if r["status"] == "erased"])[0]
    assert sorted(a["service"] for a in done["answers"]) == sorted((*OTHERS, "journey"))
    assert done["requested_by"].startswith("staff:") and done["was_patient"] is False
    assert [letter for letter in deadletters.list_letters(journey_db) if journey in letter["body"]] == []
    assert not _anywhere(journey_db, "Jeanne Dupont")
    timeline = requests.get(f"{base}/api/journeys/{journey}/timeline", headers=admin).json()
    assert timeline["stage"] == "erasure"
    assert [e["type"] for e in timeline["entries"]].count("erasure_confirmed") == len(OTHERS) + 1
    tap.close()


def _anywhere(store, text: str) -> list[str]:
    """Tables of the journey database holding `text` in any row."""
    with store.session() as session:
        return [table.name for table in models.Base.metadata.sorted_tables
                if any(text in str(tuple(row)) for row in session.execute(select(table)))]


def test_a_patients_record_is_kept_and_the_answer_says_why(stack, amqp_uri):
    base, _ = stack
    admin, journey = login(base, "administrator"), new_journey()
    publish(amqp_uri, *(step.event for step in story(journey, datetime.now(UTC) - timedelta(days=30))[:9]))
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=admin).json()
             .get("stage") == "payment")
    asked = requests.post(f"{base}/api/journeys/{journey}/erasure", headers=admin).json()
    assert asked["was_patient"] is True
    answered = wait_for(lambda: [a for r in _requests(base, admin, journey) for a in r["answers"]])
    assert answered == [{"service": "journey", "erased": False, "at": answered[0]["at"],
                         "retained_reason": "medical record kept for the legal retention period (20 years)"}]
    assert requests.post(f"{base}/api/journeys/{new_journey()}/erasure", headers=admin).status_code == 404
