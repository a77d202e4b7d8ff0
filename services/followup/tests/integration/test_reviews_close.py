"""Every assessment of an image closes its review and is announced; a "watch" makes the next
check-up look at the image again; a "concern" escalates (test_imaging.py follows that one further)."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import requests

from services.followup.tests import images
from services.followup.tests.integration.test_imaging import upload
from shared.testing.infra import wait_for


def _clinic_today():
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()   # the clinic clock, unsimulated here


def _assess(system, journey, image_id, outcome, concerns=()):
    response = requests.post(f"{system.base}/api/journeys/{journey}/followup/assessments",
                             headers=system.login("specialist"),
                             json={"subject": "image", "subject_id": image_id, "outcome": outcome,
                                   "concerns": list(concerns)})
    assert response.status_code == 201, response.text
    return response.json()


def test_fine_watch_and_concern_each_close_the_review_and_are_announced_and_watch_focuses_the_next_checkup(
        system):
    journey, tap = system.home_patient(), system.tap()
    specialist = system.login("specialist")
    ids = {outcome: upload(system, journey, images.png(shade=40 + n), specialist).json()["image"]["id"]
           for n, outcome in enumerate(("fine", "watch", "concern"))}
    assert _assess(system, journey, ids["fine"], "fine")["escalations"] == []
    assert _assess(system, journey, ids["watch"], "watch")["escalations"] == []
    assert len(_assess(system, journey, ids["concern"], "concern", ["fracture"])["escalations"]) == 1

    record = requests.get(f"{system.base}/api/journeys/{journey}/followup", headers=specialist).json()
    assert {r["image_id"]: r["status"] for r in record["reviews"]} == dict.fromkeys(ids.values(), "done")
    reviewed = wait_for(lambda: len([e for e in tap.of_type("imaging_reviewed")
                                     if e["journey_id"] == journey]) == 3 and tap.events)
    announced = {e["payload"]["image_id"]: e["payload"] for e in reviewed
                 if e["type"] == "imaging_reviewed" and e["journey_id"] == journey}
    assert {image: announced[image]["outcome"] for image in ids.values()} == {v: k for k, v in ids.items()}
    planned = [c for c in record["checkups"] if c["status"] == "planned"]
    focused = [c for c in planned if c["focus_image_id"]]
    assert [(c["id"], c["focus_image_id"], c["focus_body_part"]) for c in focused] == [
        (announced[ids["watch"]]["focus_checkup_id"], ids["watch"], "left_femur")]
    today = _clinic_today().isoformat()
    assert focused[0]["due_on"] == min(c["due_on"] for c in planned if c["due_on"] >= today)
    assert announced[ids["fine"]]["focus_checkup_id"] is None
    tap.close()


def test_pain_within_a_year_of_the_surgery_is_escalated_as_first_year_pain_with_its_own_days(system):
    today = _clinic_today()
    recent = system.home_patient(surgery=today - timedelta(days=60), home=today - timedelta(days=20))
    image = upload(system, recent, images.png(shade=60), system.login("specialist")).json()["image"]
    [escalation] = _assess(system, recent, image["id"], "concern", ["pain"])["escalations"]
    assert (escalation["kind"], escalation["act_by"]) == ("first_year_pain",
                                                          (today + timedelta(days=7)).isoformat())
    later = system.home_patient()   # operated in 2025: more than a year ago
    image = upload(system, later, images.png(shade=61), system.login("specialist")).json()["image"]
    [escalation] = _assess(system, later, image["id"], "concern", ["pain"])["escalations"]
    assert (escalation["kind"], escalation["act_by"]) == ("pain", (today + timedelta(days=2)).isoformat())
