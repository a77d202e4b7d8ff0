"""Session records through the gateway, to the target and home; bad input stores nothing."""
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from services.rehabilitation.tests.integration.support import (
    DEPARTURE,
    DISCHARGED,
    TODAY,
    accepted,
    discharged,
    for_journey,
    login,
    publish,
)
from shared import clock
from shared.events import new_event
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="module")
def api(stack):
    base, _ = stack
    return base, login(base, "physiotherapist")


@pytest.fixture
def tap(broker, stack):
    tap = EventTap(broker, "rehabilitation")
    yield tap
    tap.close()


@pytest.fixture
def journey(broker, api):
    """A patient of 83 kg (target 41 kg) discharged to the hotel 14 days ago."""
    base, headers = api
    journey = str(uuid.uuid4())
    publish(broker, accepted(journey, weight="83.0"))
    publish(broker, discharged(journey))
    wait_for(lambda: requests.get(url(base, journey), headers=headers).json().get("status") == "active")
    return journey


def url(base, journey, tail=""):
    return f"{base}/api/journeys/{journey}/rehabilitation{tail}"


def session(day, load, pain=2, **extra):
    return {"session_date": (DISCHARGED + timedelta(days=day)).isoformat(), "duration_minutes": 120,
            "load_kg": load, "pain_score": pain, "notes_ref": "EPD-4711",
            "exercises": ["quadriceps", "balance"], **extra}


def record(api, journey, body):
    base, headers = api
    return requests.post(url(base, journey, "/sessions"), json=body, headers=headers)


def test_sessions_to_the_target_announce_it_once_then_fitting_and_completion_follow(api, journey, tap):
    base, headers = api
    for day, load in enumerate(["20", "25", "30", "35", "40", "41", "41"], start=1):
        response = record(api, journey, session(day, load))
        assert response.status_code == 201, response.text
    plan = response.json()
    assert (plan["best_load_kg"], plan["progress_percent"]) == ("41.0", 100)
    assert plan["phase"] == "prosthesis_adjustment"
    assert plan["target_reached_on"] == (DISCHARGED + timedelta(days=6)).isoformat()
    fitted = requests.post(url(base, journey, "/prosthesis-fitting"),
                           json={"fitted_on": (DISCHARGED + timedelta(days=8)).isoformat()}, headers=headers)
    assert fitted.status_code == 201 and fitted.json()["phase"] == "gait_training"
    done = requests.post(url(base, journey, "/completion"), json={"completed_on": TODAY.isoformat()},
                         headers=headers)
    assert done.status_code == 201 and done.json()["status"] == "completed"
    completed = wait_for(lambda: for_journey(tap.drain(), journey, "rehab_completed"))
    assert for_journey(tap.events, journey, "prosthesis_fitted")  # published before completion
    reached = for_journey(tap.events, journey, "rehab_target_load_reached")
    assert [e["payload"]["load_kg"] for e in reached] == ["41.0"]
    assert completed[0]["payload"]["completed_on"] == TODAY.isoformat()
    assert record(api, journey, session(13, "41")).status_code == 409


def test_a_stalled_patient_is_flagged_for_attention_once_per_reason(api, journey, tap):
    for day, load in enumerate(["20", "25", "25", "20", "25"], start=1):
        assert record(api, journey, session(day, load)).status_code == 201
    base, headers = api
    assert requests.get(url(base, journey), headers=headers).json()["attention"] == ["no_progress"]
    assert record(api, journey, session(7, "30", pain=3)).json()["attention"] == []  # progress clears it
    assert record(api, journey, session(8, "30", pain=5)).json()["attention"] == ["pain_rising"]
    wait_for(lambda: for_journey(tap.drain(), journey, "rehab_attention_needed")[1:])
    flagged = for_journey(tap.events, journey, "rehab_attention_needed")
    assert [e["payload"]["reason_code"] for e in flagged] == ["no_progress", "pain_rising"]


def test_the_physiotherapist_chooses_a_5_kg_start_and_steps_beyond_the_plan_need_a_reason(api, journey):
    base, headers = api
    assert requests.put(url(base, journey, "/start-load"), json={"start_load_kg": 10},
                        headers=headers).status_code == 422
    chosen = requests.put(url(base, journey, "/start-load"), json={"start_load_kg": 5}, headers=headers)
    assert chosen.json()["ladder_kg"][:3] == ["5.0", "10.0", "15.0"]
    assert record(api, journey, session(1, "5")).status_code == 201
    refused = record(api, journey, session(2, "20"))
    assert refused.status_code == 422 and "reason" in refused.json()["fields"]
    allowed = record(api, journey, session(2, "20", reason="no pain, specialist agreed"))
    assert allowed.status_code == 201 and allowed.json()["next_step_kg"] == "25.0"


@pytest.mark.parametrize("body, status", [
    (session(1, "-5"), 422),
    (session(1, "1000"), 422),
    (session(1, "90", reason="heavier than the patient"), 422),
    (session(1, "20", pain=11), 422),
    (session(1, "20", pain=-1), 422),
    (session(-1, "20"), 422),
    (dict(session(1, "20"), session_date=(DEPARTURE + timedelta(days=1)).isoformat()), 422),
    (dict(session(1, "20"), load_kg="lots"), 422),
    (dict(session(1, "20"), duration_minutes=0), 422),
])
def test_bad_sessions_are_refused_and_nothing_is_stored(api, journey, body, status):
    base, headers = api
    assert record(api, journey, body).status_code == status
    assert requests.get(url(base, journey), headers=headers).json()["sessions"] == []


def test_a_session_for_an_unknown_journey_is_not_found(api):
    assert record(api, str(uuid.uuid4()), session(1, "20")).status_code == 404


def test_only_a_physiotherapist_records_sessions(api, journey):
    base, _ = api
    response = requests.post(url(base, journey, "/sessions"), json=session(1, "20"),
                             headers=login(base, "finance"))
    assert response.status_code == 403


def test_a_psychologist_assists_on_request(api, journey):
    base, headers = api
    before = clock.ClinicClock().today()
    asked = requests.post(url(base, journey, "/psychologist-request"), headers=headers)
    after = clock.ClinicClock().today()   # the clinic's midnight may fall between the two
    assert asked.status_code == 201
    assert asked.json()["psychologist_requested_on"] in {before.isoformat(), after.isoformat()}
    held = requests.post(url(base, journey, "/psychologist-sessions"), headers=login(base, "psychologist"),
                         json={"session_date": TODAY.isoformat(), "duration_minutes": 60})
    assert held.status_code == 201 and len(held.json()["psychologist_sessions"]) == 1


def frozen_at(moment: datetime) -> type[datetime]:
    """shared.clock's `datetime`, with `now()` stopped at `moment`."""
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)
    return Frozen


def test_a_session_just_after_midnight_in_amsterdam_counts_on_the_clinics_date_not_utcs(
        api, broker, monkeypatch):
    base, headers = api
    clinic_day = date(2026, 12, 2)
    just_after_midnight = datetime.combine(clinic_day, time(0, 30), AMSTERDAM)
    assert just_after_midnight.astimezone(UTC).date() == date(2026, 12, 1)  # still yesterday in UTC
    journey = str(uuid.uuid4())
    publish(broker, accepted(journey))
    publish(broker, new_event("surgery", "ward_discharged", {
        "surgery_id": "s-1", "discharged_on": (clinic_day - timedelta(days=7)).isoformat(),
        "planned_rehab_end": (clinic_day + timedelta(days=21)).isoformat(),
        "departure_date": (clinic_day + timedelta(days=22)).isoformat()}, journey))
    wait_for(lambda: requests.get(url(base, journey), headers=headers).json().get("status") == "active")
    monkeypatch.delenv(clock.CLOCK_FILE, raising=False)
    monkeypatch.setattr(clock, "datetime", frozen_at(just_after_midnight))
    response = record(api, journey, dict(session(1, "20"), session_date=clinic_day.isoformat()))
    assert response.status_code == 201, response.text
    assert [s["session_date"] for s in response.json()["sessions"]] == [clinic_day.isoformat()]
    tomorrow = dict(session(1, "20"), session_date=(clinic_day + timedelta(days=1)).isoformat())
    assert record(api, journey, tomorrow).status_code == 422  # the clinic's tomorrow is still the future
