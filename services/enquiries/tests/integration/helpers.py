"""Forms, clients and flows the integration tests share."""
import itertools
import os
import uuid
from datetime import timedelta

import requests
from requests.adapters import HTTPAdapter

from shared.clock import ClinicClock
from shared.testing.infra import wait_for

_addresses = itertools.count(os.getpid() % 200 * 250)


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


class Client(requests.Session):
    """An HTTP client of the gateway, connecting from a loopback address of its own."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base
        n = next(_addresses)
        self.address = f"127.{n // 62500 % 250 + 1}.{n // 250 % 250}.{n % 250 + 2}"
        self.mount("http://", _FromAddress(self.address))

    def request(self, method, url, *args, **kwargs):
        return super().request(method, self.base + url, *args, timeout=30, **kwargs)


def suitability(**changes) -> dict:
    """A valid suitability enquiry from a healthy adult transfemoral amputee (a new email each time)."""
    form = {
        "name": "Ana Testperson", "email": f"ana.{uuid.uuid4().hex[:10]}@example.org",
        "phone": "+351 21 123 4567", "country": "PT", "preferred_language": "pt",
        "date_of_birth": "1979-04-02", "amputation_level": "transfemoral", "amputation_side": "left",
        "years_since_amputation": 6, "prosthesis_complaints": "Socket rubs after an hour of walking",
        "smoking_status": "never", "diabetes": False, "circulatory_disease": False,
        "other_conditions": "mild asthma", "body_weight_kg": 74.5,
        "privacy_consent": True, "health_data_consent": True, "marketing_consent": False,
    }
    form.update(changes)
    return form


def months_ago(months: int) -> str:
    """A date `months` before the clinic's today (the pre-screen counts from the clinic's date, not UTC's)."""
    return (ClinicClock().today() - timedelta(days=30 * months)).isoformat()


ANSWERS = {
    "pu_current_use": "yes_daily", "pu_days_per_week": 6, "pu_hours_per_day": 9, "pu_donning": 2,
    "mob_walking_distance": "up_to_500_m", "mob_walking_aids": ["one_stick"], "mob_stairs": 4,
    "mob_uneven_ground": 4, "mob_falls": True, "prob_socket_fit": 3, "prob_skin": 3, "prob_sweating": 4,
    "prob_limb_pain": 6, "prob_phantom_pain": 2, "gh_overall": 2, "gh_quality_of_life": 5,
}


def submitted(client, form: dict) -> dict:
    response = client.post("/api/enquiries/suitability", json=form)
    assert response.status_code == 201, response.text
    return response.json()


def events_of(tap, journey_id: str, *types: str, count: int | None = None) -> list[dict]:
    """Wait until the journey's events include `types` (in any order); return the journey's events."""
    def arrived():
        mine = [e for e in tap.drain() if e["journey_id"] == journey_id]
        seen = [e["type"] for e in mine]
        return mine if all(t in seen for t in types) and (count is None or len(mine) >= count) else None
    return wait_for(arrived, message=f"events {types} for {journey_id}")


def ok(response, status: int = 201) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def screen_to_the_questionnaire(staff, journey: str) -> None:
    """Run the staff steps before the questionnaire, each in order."""
    intake, psychologist, specialist = staff("intake_coordinator"), staff("psychologist"), staff("specialist")
    path = f"/api/enquiries/{journey}"
    ok(intake.post(f"{path}/steps/outpatient_invitation/complete"))
    for client, step, channel in ((intake, "consultation", "video"),
                                  (psychologist, "psychologist_call", "phone"),
                                  (specialist, "specialist_introduction", "in_person")):
        appointment = ok(client.post(f"{path}/appointments", json={
            "step": step, "scheduled_at": "2030-01-10T10:00:00+01:00", "channel": channel}))
        ok(client.patch(f"{path}/appointments/{appointment['id']}", json={"status": "done"}), 200)


def fill_in_and_submit(patient, journey: str) -> None:
    ok(patient.put(f"/api/enquiries/{journey}/questionnaire", json={"answers": ANSWERS}), 200)
    ok(patient.post(f"/api/enquiries/{journey}/questionnaire/submit"))


def patient_client(stack, staff, journey: str) -> Client:
    link = ok(staff("intake_coordinator").post(f"/api/enquiries/{journey}/questionnaire/link"))
    client = Client(stack.base)
    client.headers["Authorization"] = "Bearer " + link["token"]
    return client


def accepted_journey(stack, public, staff) -> str:
    journey = submitted(public, suitability())["journey_id"]
    screen_to_the_questionnaire(staff, journey)
    with patient_client(stack, staff, journey) as patient:
        fill_in_and_submit(patient, journey)
    ok(staff("specialist").post(f"/api/enquiries/{journey}/decision", json={"decision": "accepted"}))
    return journey
