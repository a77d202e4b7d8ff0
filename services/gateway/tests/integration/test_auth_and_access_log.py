"""Who may call what, and the trail every patient-data access leaves."""
import time
import uuid

import jwt
import requests
from sqlalchemy import select

from services.gateway.domain.credentials import issue_token
from services.gateway.models import AccessLogEntry
from services.gateway.tests.conftest import PASSWORD


def login(base, role):
    response = requests.post(f"{base}/api/auth/token", json={"username": role, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": "Bearer " + response.json()["access_token"]}


def access_log(store):
    with store.session() as session:
        return list(session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)))


def test_a_staff_member_signs_in_and_is_known_by_role(gateway):
    base, _, _ = gateway
    me = requests.get(f"{base}/api/me", headers=login(base, "finance"))
    assert me.status_code == 200
    assert me.json()["role"] == "finance"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(gateway):
    base, _, _ = gateway
    response = requests.post(f"{base}/api/auth/token", json={"username": "finance", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["message"] == "Wrong username or password."


def test_a_missing_token_is_refused(gateway):
    base, _, _ = gateway
    response = requests.get(f"{base}/api/me")
    assert response.status_code == 401
    assert "missing" in response.json()["message"].lower()


def test_an_expired_token_is_refused(gateway):
    base, _, config = gateway
    token = issue_token(config["AUTH"]["token_secret"], "staff:1", "finance", ttl_seconds=-5)
    response = requests.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["message"] == "Token expired."


def test_a_tampered_token_is_refused(gateway):
    base, _, config = gateway
    forged = jwt.encode({"sub": "staff:1", "role": "administrator", "exp": time.time() + 60},
                        "not-the-secret", algorithm="HS256")
    response = requests.get(f"{base}/api/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    genuine = login(base, "finance")["Authorization"]
    header, payload, signature = genuine.split(".")
    flipped = genuine[:-3] + ("AAA" if not genuine.endswith("AAA") else "BBB")
    assert requests.get(f"{base}/api/me", headers={"Authorization": flipped}).status_code == 401


def test_a_role_not_allowed_is_refused_and_the_refusal_is_logged(gateway):
    base, store, _ = gateway
    journey = str(uuid.uuid4())
    response = requests.post(f"{base}/api/journeys/{journey}/patient-link", json={},
                             headers=login(base, "finance"))
    assert response.status_code == 403
    denied = [e for e in access_log(store) if e.outcome == "denied"]
    assert [(e.role, e.journey_id, e.status) for e in denied] == [("finance", journey, 403)]


def test_every_patient_data_access_leaves_an_access_log_record(gateway):
    base, store, _ = gateway
    journey = str(uuid.uuid4())
    response = requests.get(f"{base}/api/journeys/{journey}/patient-links",
                            headers=login(base, "intake_coordinator"))
    assert response.status_code == 200
    entries = [e for e in access_log(store) if e.journey_id == journey]
    assert len(entries) == 1
    assert entries[0].role == "intake_coordinator"
    assert entries[0].action == "list_patient_links"
    assert entries[0].outcome == "allowed"


def test_the_access_log_is_readable_by_an_administrator_only(gateway):
    base, _, _ = gateway
    assert requests.get(f"{base}/api/access-log", headers=login(base, "planner")).status_code == 403
    response = requests.get(f"{base}/api/access-log", headers=login(base, "administrator"))
    assert response.status_code == 200
    assert any(entry["outcome"] == "denied" for entry in response.json())


def test_bad_input_gets_a_clear_4xx(gateway):
    base, _, _ = gateway
    bad_json = requests.post(f"{base}/api/auth/token", data=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    assert "JSON" in bad_json.json()["message"]
    unknown = requests.post(f"{base}/api/auth/token", json={"username": "a", "password": "b", "x": 1})
    assert unknown.status_code == 422
    assert "x" in unknown.json()["fields"]
    assert requests.get(f"{base}/api/no-such-thing").status_code == 404


def test_too_many_sign_ins_are_refused_with_when_to_try_again(gateway):
    base, _, _ = gateway
    # A different (unknown) account each time: this is the per-address allowance, not the account's.
    statuses = [requests.post(f"{base}/api/auth/token", json={"username": f"x{n}", "password": "y"})
                for n in range(11)]
    assert [r.status_code for r in statuses[:10]] == [401] * 10
    assert statuses[10].status_code == 429
    assert 1 <= int(statuses[10].headers["Retry-After"]) <= 60
