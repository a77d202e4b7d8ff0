"""The specialist moves a check-up still to come: the patient's request to move it is answered, its
missed-window deadline moves with it, one double-sent move is one move, and a bad date says why."""
from datetime import date, timedelta

import eventlet
import requests
from nameko.standalone.rpc import ServiceRpcProxy

from services.followup.settings import parse
from shared.clock import set_simulated
from shared.testing.infra import wait_for

TODAY = date(2033, 5, 2)  # the simulated clinic date, far from the real one and the other tests'


def test_the_specialist_moves_a_checkup_the_patient_asked_to_move_and_its_deadline_follows(system,
                                                                                           clock_file):
    journey, tap = system.home_patient(surgery=TODAY - timedelta(days=20), home=TODAY - timedelta(days=1)), \
        system.tap()
    specialist, base = system.login("specialist"), f"{system.base}/api/journeys/{journey}/followup"
    first = requests.get(base, headers=specialist).json()["checkups"][0]
    old = date.fromisoformat(first["due_on"])
    with ServiceRpcProxy("followup", system.config) as followup:
        followup.request_checkup_move(journey, first["id"], {"reason": "travelling",
                                                             "preferred": "a week later"})
    asked = requests.get(f"{system.base}/api/followup/move-requests", params={"journey_id": journey},
                         headers=specialist).json()
    assert [r["checkup_id"] for r in asked] == [first["id"]]

    move = f"{base}/checkups/{first['id']}/move"
    refused = requests.post(move, headers=specialist, json={"due_on": (TODAY - timedelta(days=1)).isoformat(),
                                                            "reason": "other"})
    assert refused.status_code == 422 and "has passed" in refused.json()["fields"]["due_on"][0], refused.text
    new = old + timedelta(days=3)
    headers = {**specialist, "Idempotency-Key": f"move-{journey}"}
    body = {"due_on": new.isoformat(), "reason": "patient_request"}
    answers = [requests.post(move, headers=headers, json=body) for _ in range(2)]   # a double click
    assert [a.status_code for a in answers] == [200, 200], answers[0].text
    assert answers[0].json()["due_on"] == new.isoformat() == answers[1].json()["due_on"]
    moved = wait_for(lambda: [e for e in tap.drain()
                              if e["journey_id"] == journey and e["type"] == "checkup_moved"])
    assert [(e["payload"]["previous_due_on"], e["payload"]["due_on"], e["payload"]["patient_asked"])
            for e in moved] == [(old.isoformat(), new.isoformat(), True)]
    assert requests.get(f"{system.base}/api/followup/move-requests", params={"journey_id": journey},
                        headers=specialist).json() == []

    window = parse(system.config).checkup_window_days
    set_simulated(clock_file, old + timedelta(days=window + 1))   # only the old day's window has passed
    eventlet.sleep(1)   # several polls of the timer relay
    assert [e for e in tap.drain() if e["journey_id"] == journey and e["type"] == "checkup_missed"] == []
    set_simulated(clock_file, new + timedelta(days=window + 1))   # the new window has passed: missed
    missed = wait_for(lambda: [e for e in tap.drain() if e["journey_id"] == journey
                               and e["type"] == "checkup_missed"])
    assert [(e["payload"]["checkup_id"], e["payload"]["due_on"]) for e in missed] == [
        (first["id"], new.isoformat())]
    tap.close()


def test_a_move_to_the_same_day_by_another_role_or_with_an_unknown_reason_is_refused_with_a_sentence(system):
    journey = system.home_patient(surgery=date.today() - timedelta(days=20), home=date.today())
    specialist, base = system.login("specialist"), f"{system.base}/api/journeys/{journey}/followup"
    first = requests.get(base, headers=specialist).json()["checkups"][0]
    move = f"{base}/checkups/{first['id']}/move"
    same = requests.post(move, headers=specialist, json={"due_on": first["due_on"], "reason": "other"})
    assert same.status_code == 422, same.text
    assert same.json()["fields"]["due_on"] == ["the check-up is already on that day"]
    unknown = requests.post(move, headers=specialist, json={"due_on": first["due_on"], "reason": "whim"})
    assert unknown.status_code == 422 and "reason" in unknown.json()["fields"], unknown.text
    other = requests.post(move, headers=system.login("administrator"),
                          json={"due_on": first["due_on"], "reason": "other"})
    assert other.status_code == 403 and "move a check-up" in other.json()["message"], other.text
