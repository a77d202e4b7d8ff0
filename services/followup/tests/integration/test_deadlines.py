"""Follow-up deadlines become facts when they pass: an image not reviewed, a complication not
acted on, a check-up with no outcome by the end of its window; meeting one in time cancels it."""
from datetime import date, timedelta

import eventlet
import requests

from services.followup.settings import parse
from services.followup.tests import images
from shared.clock import set_simulated
from shared.testing.infra import wait_for

TODAY = date(2032, 3, 1)  # the simulated clinic date, far from the real one
FACTS = ("image_review_overdue", "escalation_overdue", "checkup_missed")


def test_deadlines_missed_become_facts_when_they_pass_and_those_met_in_time_never_do(system, clock_file):
    journey, tap = system.home_patient(surgery=TODAY - timedelta(days=20), home=TODAY - timedelta(days=1)), \
        system.tap()
    specialist, base = system.login("specialist"), f"{system.base}/api/journeys/{journey}/followup"
    reviewed, forgotten = (_upload(base, specialist, shade)["id"] for shade in (41, 42))
    assessed = requests.post(f"{base}/assessments", headers=specialist, json={
        "subject": "image", "subject_id": reviewed, "outcome": "concern",
        "concerns": ["infection", "loosening"]})
    assert assessed.status_code == 201, assessed.text
    escalations = {e["kind"]: e["id"] for e in assessed.json()["escalations"]}
    acted = requests.post(f"{base}/escalations/{escalations['loosening']}/resolve", headers=specialist,
                          json={"action_code": "xray_requested"})
    assert acted.status_code == 200, acted.text
    first, second = requests.get(base, headers=specialist).json()["checkups"][:2]
    held = requests.post(f"{base}/checkups/{second['id']}/outcome", headers=specialist, json={
        "outcome": "done", "findings": {"stoma_condition": "calm", "pain_score": 1, "infection_signs": False,
                                        "activity_level": "moderate", "implant_stability": "stable"}})
    assert held.status_code == 200, held.text
    eventlet.sleep(0.5)  # a few polls of the timer relay: nothing is due yet
    assert _facts(tap, journey) == []

    window = parse(system.config).checkup_window_days
    set_simulated(clock_file, date.fromisoformat(first["due_on"]) + timedelta(days=window + 1))
    wait_for(lambda: len(_facts(tap, journey)) == 3, message="the passed deadlines did not all fire")
    eventlet.sleep(0.5)
    assert sorted(_facts(tap, journey)) == sorted([
        ("image_review_overdue", forgotten), ("escalation_overdue", escalations["infection"]),
        ("checkup_missed", first["id"])])
    reviewed_event = [e for e in tap.of_type("imaging_reviewed") if e["journey_id"] == journey]
    assert [(e["payload"]["image_id"], e["payload"]["outcome"]) for e in reviewed_event] == [
        (reviewed, "concern")]
    tap.close()


def _upload(base, headers, shade) -> dict:
    response = requests.post(f"{base}/images", params={"body_part": "left_femur", "made_where": "Bergen, NO"},
                             data=images.png(shade=shade), headers={**headers, "Content-Type": "image/png"})
    assert response.status_code == 201, response.text
    return response.json()["image"]


def _facts(tap, journey) -> list[tuple[str, str]]:
    subject = {"image_review_overdue": "image_id", "escalation_overdue": "escalation_id",
               "checkup_missed": "checkup_id"}
    return [(e["type"], e["payload"][subject[e["type"]]]) for e in tap.drain()
            if e["journey_id"] == journey and e["type"] in FACTS]
