"""Days of daily rehabilitation and missed sessions through the gateway: the plan says the patient
is behind, moves its projected end, and warns once the end passes the booked departure."""
import uuid
from datetime import timedelta

import pytest
import requests

from services.rehabilitation.tests.integration.support import (
    DEPARTURE,
    DISCHARGED,
    REHAB_END,
    accepted,
    discharged,
    for_journey,
    login,
    publish,
)
from shared.events import new_event
from shared.testing.cluster import EventTap
from shared.testing.infra import wait_for


@pytest.fixture(scope="module")
def api(stack):
    base, _ = stack
    return base, login(base, "physiotherapist")


@pytest.fixture
def tap(broker, stack):
    tap = EventTap(broker, "rehabilitation", routing_key="rehab_behind_plan")
    yield tap
    tap.close()


@pytest.fixture
def journey(broker, api):
    """Discharged 14 days ago; the plan ends 14 days from now, the flight home leaves a day later."""
    base, headers = api
    journey = str(uuid.uuid4())
    publish(broker, accepted(journey))
    publish(broker, discharged(journey))
    wait_for(lambda: requests.get(url(base, journey), headers=headers).json().get("status") == "active")
    return journey


def url(base, journey, tail=""):
    return f"{base}/api/journeys/{journey}/rehabilitation{tail}"


def day(n: int, status: str = "done", reason: str | None = None) -> dict:
    body = {"day": (DISCHARGED + timedelta(days=n)).isoformat(), "status": status}
    return dict(body, reason_code=reason) if reason else body


def post(api, journey, tail, body):
    base, headers = api
    return requests.post(url(base, journey, tail), json=body, headers=headers)


def test_missed_days_put_the_patient_behind_and_past_the_flight_home_which_is_told_once(api, journey, tap):
    assert post(api, journey, "/days", day(1)).status_code == 201
    assert post(api, journey, "/days", day(2, "missed", "unwell")).status_code == 201
    plan = post(api, journey, "/days", day(3, "missed", "pain")).json()
    standing = plan["attendance"]
    assert (standing["missed_days"], standing["days_behind"], standing["behind_plan"]) == (2, 2, True)
    assert standing["projected_end"] == (REHAB_END + timedelta(days=2)).isoformat()
    assert (standing["departure_date"], standing["days_past_departure"]) == (DEPARTURE.isoformat(), 1)
    assert standing["past_departure"] is True
    assert [(d["status"], d["reason_code"]) for d in plan["days"]] == [
        ("done", None), ("missed", "unwell"), ("missed", "pain")]
    assert post(api, journey, "/days", day(2, "missed", "fatigue")).status_code == 201   # no change in count
    told = wait_for(lambda: for_journey(tap.drain(), journey, "rehab_behind_plan"))
    assert told[0]["payload"] == {"plan_id": plan["plan_id"], "missed_days": 2, "missed_sessions": 0,
                                  "days_past_departure": 1}
    corrected = post(api, journey, "/days", day(3)).json()["attendance"]      # day 3 was done after all
    assert (corrected["missed_days"], corrected["days_past_departure"]) == (1, 0)
    wait_for(lambda: for_journey(tap.drain(), journey, "rehab_behind_plan")[1:])
    assert [e["payload"]["days_past_departure"]
            for e in for_journey(tap.events, journey, "rehab_behind_plan")] == [1, 0]


def test_a_return_flight_moved_by_the_travel_desk_lets_the_plan_fit_again(api, broker, journey, tap):
    for n, reason in ((1, "unwell"), (2, "unwell"), (3, "pain")):
        plan = post(api, journey, "/days", day(n, "missed", reason)).json()
    assert plan["attendance"]["days_past_departure"] == 2
    later = DEPARTURE + timedelta(days=3)
    publish(broker, new_event("travel", "itinerary_confirmed", {
        "itinerary_id": "T-1", "arrival_date": DISCHARGED.isoformat(), "departure_date": later.isoformat()},
        journey))

    def moved():
        base, headers = api
        standing = requests.get(url(base, journey), headers=headers).json()["attendance"]
        return standing if standing["departure_date"] == later.isoformat() else None
    assert (wait_for(moved)["days_past_departure"], moved()["past_departure"]) == (0, False)
    wait_for(lambda: for_journey(tap.drain(), journey, "rehab_behind_plan")[2:])
    assert [e["payload"]["days_past_departure"]
            for e in for_journey(tap.events, journey, "rehab_behind_plan")] == [1, 2, 0]


def test_a_missed_supervised_session_is_counted_and_an_attended_one_cannot_be_missed(api, journey):
    missed = post(api, journey, "/missed-sessions", {"session_date": day(4)["day"], "reason_code": "unwell"})
    assert missed.status_code == 201, missed.text
    assert missed.json()["attendance"]["missed_sessions"] == 1
    assert missed.json()["missed_sessions"][0]["reason_code"] == "unwell"
    session = {"session_date": day(5)["day"], "duration_minutes": 120, "load_kg": "20", "pain_score": 2}
    assert post(api, journey, "/sessions", session).status_code == 201
    refused = post(api, journey, "/missed-sessions", {"session_date": day(5)["day"], "reason_code": "pain"})
    assert refused.status_code == 409
    standing = post(api, journey, "/days", day(5)).json()["attendance"]
    assert (standing["attended_sessions"], standing["missed_sessions"]) == (1, 1)


@pytest.mark.parametrize("body", [
    day(2, "missed"),                       # no reason
    day(2, "missed", "overslept"),          # not a reason code the clinic uses
    day(2, "done", "pain"),                 # a day done has no reason
    day(0),                                 # the discharge day is no plan day
    day(15),                                # tomorrow
    dict(day(2), status="half"),
])
def test_a_bad_day_is_refused_with_a_sentence_and_nothing_is_stored(api, journey, body):
    refused = post(api, journey, "/days", body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"][0].isupper() and refused.json()["message"].endswith(".")
    base, headers = api
    assert requests.get(url(base, journey), headers=headers).json()["days"] == []


def test_only_a_physiotherapist_records_days_and_the_refusal_reads_as_a_sentence(api, journey):
    base, _ = api
    refused = requests.post(url(base, journey, "/days"), json=day(1), headers=login(base, "travel_desk"))
    assert refused.status_code == 403
    assert refused.json()["message"] == "The travel desk may not record a day of rehabilitation."
