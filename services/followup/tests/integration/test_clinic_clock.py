"""Follow-up keeps the clinic's calendar: the simulated date moves it like every other stage."""
from datetime import date, timedelta

import pytest
import requests

from services.followup.settings import parse
from services.followup.tests import images
from shared.clock import CLOCK_FILE, set_simulated
from shared.testing.infra import wait_for

SIMULATED = date(2031, 1, 15)  # years after the patients' surgery, far from the real date


@pytest.fixture
def simulated_clock(tmp_path, monkeypatch):
    """The clock file the demo and the end-to-end tests move (the services run in this process)."""
    path = tmp_path / "clock"
    set_simulated(path, SIMULATED)
    monkeypatch.setenv(CLOCK_FILE, str(path))
    return SIMULATED


def test_a_checkup_missed_on_the_simulated_day_is_rebooked_from_that_day(system, simulated_clock):
    journey = system.home_patient()
    specialist = system.login("specialist")
    record = requests.get(f"{system.base}/api/journeys/{journey}/followup", headers=specialist).json()
    first = record["checkups"][0]
    assert first["due_on"] == "2025-04-21"  # long past on the simulated calendar
    missed = requests.post(f"{system.base}/api/journeys/{journey}/followup/checkups/{first['id']}/outcome",
                           json={"outcome": "missed"}, headers=specialist)
    assert missed.status_code == 200, missed.text
    assert missed.json()["checkup"]["completed_on"] == simulated_clock.isoformat()
    rebooked_on = simulated_clock + timedelta(days=parse(system.config).rebook_after_days)
    assert missed.json()["rebooked"]["due_on"] == rebooked_on.isoformat()


def test_an_upload_on_the_simulated_day_is_due_for_review_days_after_it(system, simulated_clock):
    journey, tap = system.home_patient(), system.tap()
    specialist = system.login("specialist")
    uploaded = requests.post(f"{system.base}/api/journeys/{journey}/followup/images",
                             params={"body_part": "left_femur", "made_where": "Bergen, NO"},
                             data=images.png(shade=23), headers={**specialist, "Content-Type": "image/png"})
    assert uploaded.status_code == 201, uploaded.text
    due = simulated_clock + timedelta(days=parse(system.config).review_due_days)
    received = wait_for(lambda: [e for e in tap.of_type("imaging_received") if e["journey_id"] == journey])
    assert received[0]["payload"]["review_due"] == due.isoformat()
    overdue = requests.get(f"{system.base}/api/followup/overdue", headers=specialist).json()
    assert overdue["as_of"] == simulated_clock.isoformat()
    tap.close()
