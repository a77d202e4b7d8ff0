"""Input events from other stages, published on the real broker as their producers would."""
import json
import uuid
from datetime import date, timedelta

import requests
from kombu import Connection, Exchange

from services.rehabilitation.tests.integration.conftest import PASSWORD
from shared.clock import ClinicClock
from shared.events import Event, new_event, to_wire

TODAY = ClinicClock().today()  # the clinic's date, as the service reads it
DISCHARGED = TODAY - timedelta(days=14)
REHAB_END = TODAY + timedelta(days=14)
DEPARTURE = TODAY + timedelta(days=15)


def publish(amqp_uri: str, event: Event) -> Event:
    exchange = Exchange(f"{event.producer}.events", type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(json.dumps(to_wire(event)).encode(), exchange=exchange,
                                routing_key=event.type, content_type="application/json",
                                content_encoding="utf-8", delivery_mode=2, declare=[exchange])
    return event


def accepted(journey: str, weight: str = "83.0") -> Event:
    return new_event("enquiries", "patient_accepted", {
        "enquiry_id": str(uuid.uuid4()), "amputation_level": "transfemoral", "amputation_side": "left",
        "body_weight_kg": weight, "preferred_language": "en", "country": "GB"}, journey)


def discharged(journey: str, on: date = DISCHARGED) -> Event:
    return new_event("surgery", "ward_discharged", {
        "surgery_id": "s-1", "discharged_on": on.isoformat(), "planned_rehab_end": REHAB_END.isoformat(),
        "departure_date": DEPARTURE.isoformat()}, journey)


def surgery_plan(journey: str, event_type: str, surgery_date: date, **extra) -> Event:
    return new_event("surgery", event_type, {
        "surgery_id": "s-1", "arrival_by": (surgery_date - timedelta(days=3)).isoformat(),
        "preop_check_date": (surgery_date - timedelta(days=1)).isoformat(),
        "surgery_date": surgery_date.isoformat(),
        "planned_ward_discharge": (surgery_date + timedelta(days=4)).isoformat(),
        "planned_rehab_end": (surgery_date + timedelta(days=35)).isoformat(),
        "departure_date": (surgery_date + timedelta(days=36)).isoformat(), **extra}, journey)


def for_journey(events: list[dict], journey: str, event_type: str) -> list[dict]:
    return [e for e in events if e["journey_id"] == journey and e["type"] == event_type]


def login(base: str, role: str) -> dict:
    response = requests.post(f"{base}/api/auth/token", json={"username": role, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": "Bearer " + response.json()["access_token"]}
