"""The journey through the gateway: board, patient view, FHIR export, access log."""
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select

from services.gateway.models import AccessLogEntry
from services.gateway.tests.pages import patient_link
from services.journey.tests.conftest import login, publish
from services.journey.tests.story import event, new_journey, story
from shared.testing.infra import wait_for
from tests.fhir_r4 import problems

NOW = datetime.now(UTC)


def _enquiry(journey: str, at: datetime):
    payload = {"enquiry_id": journey[:8], "kind": "suitability", "country": "BE", "preferred_language": "nl"}
    return event("enquiries", "enquiry_received", payload, journey, at=at)


def _board(base, headers, **query):
    response = requests.get(f"{base}/api/journeys", params=query, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _patient(base, journey):
    return {"Authorization": f"Bearer {patient_link(base, login(base, 'intake_coordinator'), journey)}"}


def _drive(base, headers, amqp_uri, steps):
    publish(amqp_uri, *(step.event for step in steps))
    journey = steps[0].event.journey_id
    wait_for(lambda: (requests.get(f"{base}/api/journeys/{journey}/timeline", headers=headers).json()
                      .get("event_count") == len(steps)))


def test_the_board_shows_stalled_journeys_first_and_filters_by_stage(stack, amqp_uri, gateway_db):
    base, _ = stack
    staff = login(base, "intake_coordinator")
    stalled, fresh = new_journey(), new_journey()
    publish(amqp_uri, _enquiry(fresh, NOW), _enquiry(stalled, NOW - timedelta(days=10)))
    wait_for(lambda: {stalled, fresh} <= {j["journey_id"] for j in _board(base, staff)})
    board = _board(base, staff)
    order = [j["journey_id"] for j in board]
    assert order.index(stalled) < order.index(fresh)
    assert [s["reason"] for s in board[order.index(stalled)]["stalled"]] == ["enquiry_unanswered"]
    assert board[order.index(fresh)]["stalled"] == []
    assert {j["stage"] for j in _board(base, staff, stage="enquiry")} == {"enquiry"}
    assert _board(base, staff, stage="follow_up", stalled_only="true") == []
    with gateway_db.session() as session:
        logged = set(session.scalars(select(AccessLogEntry.journey_id)
                                     .where(AccessLogEntry.action == "board")))
    assert {stalled, fresh} <= logged
    assert requests.get(f"{base}/api/journeys", params={"stage": "nowhere"}, headers=staff).status_code == 422


def test_a_patient_sees_next_steps_and_appointments_in_plain_words_and_nothing_internal(stack, amqp_uri):
    base, config = stack
    journey = new_journey()
    steps = story(journey, NOW - timedelta(days=3))[:12]  # up to surgery scheduled
    _drive(base, login(base, "planner"), amqp_uri, steps)
    response = requests.get(f"{base}/api/journeys/{journey}/my-journey", headers=_patient(base, journey))
    assert response.status_code == 200
    view = response.json()
    assert view["stage"] == "Your surgery is planned"
    assert "We are booking your flights and your hotel." in view["next_steps"]
    assert "Your surgery" in [a["what"] for a in view["appointments"]]
    text = response.text
    for internal in [journey, "preop_check", "itinerary_confirmation", "surgery_scheduled", "S-1", "staff:"]:
        assert internal not in text
    other = requests.get(f"{base}/api/journeys/{new_journey()}/my-journey", headers=_patient(base, journey))
    assert other.status_code == 403


def test_the_fhir_export_validates_and_is_access_logged(stack, amqp_uri, gateway_db):
    base, _ = stack
    journey = new_journey()
    specialist = login(base, "specialist")
    _drive(base, specialist, amqp_uri, story(journey, NOW - timedelta(days=90)))
    response = requests.get(f"{base}/api/journeys/{journey}/fhir", headers=specialist)
    assert response.status_code == 200
    bundle = response.json()
    assert problems(bundle) == []
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert kinds >= {"Patient", "Condition", "Observation", "QuestionnaireResponse", "Appointment",
                     "CarePlan", "Invoice", "PaymentNotice", "Procedure", "Device", "DocumentReference",
                     "Communication", "AuditEvent"}
    device = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Device")
    assert device["lotNumber"] == "L-778"
    finance = login(base, "finance")
    assert requests.get(f"{base}/api/journeys/{journey}/fhir", headers=finance).status_code == 403
    with gateway_db.session() as session:
        actions = list(session.scalars(select(AccessLogEntry.outcome).where(
            AccessLogEntry.journey_id == journey, AccessLogEntry.action == "export_fhir")))
    assert actions == ["allowed", "denied"]


def test_a_patient_sees_which_roles_read_their_record_and_an_auditor_sees_who(stack, amqp_uri):
    base, config = stack
    journey = new_journey()
    publish(amqp_uri, _enquiry(journey, NOW))
    psychologist = login(base, "psychologist")
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=psychologist).ok)
    mine = requests.get(f"{base}/api/journeys/{journey}/access-log", headers=_patient(base, journey)).json()
    assert ("psychologist", "timeline", None) in {(e["role"], e["action"], e["actor"]) for e in mine}
    audit = requests.get(f"{base}/api/journeys/{journey}/access-log", headers=login(base, "administrator"))
    assert any(e["role"] == "psychologist" and e["actor"].startswith("staff:") for e in audit.json())
    assert requests.get(f"{base}/api/journeys/{journey}/access-log", headers=psychologist).status_code == 403


def test_an_auditor_verifies_the_chain_and_exports_a_patients_entries_as_csv_and_fhir_audit_events(
        stack, amqp_uri):
    base, _ = stack
    journey = new_journey()
    publish(amqp_uri, _enquiry(journey, NOW))
    psychologist, admin = login(base, "psychologist"), login(base, "administrator")
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=psychologist).ok)
    report = requests.get(f"{base}/api/access-log/verify", headers=admin).json()
    assert report["intact"] is True and report["findings"] == []
    assert report["entries"] == report["last_id"] > 0

    csv = requests.get(f"{base}/api/access-log/export.csv", params={"journey_id": journey}, headers=admin)
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    header, *rows = csv.text.splitlines()
    assert header.startswith("id,at,actor,role,on_behalf_of,journey_id,action") and header.endswith(",hash")
    assert any(",psychologist," in row and ",timeline," in row for row in rows)
    since = (NOW - timedelta(minutes=5)).isoformat()
    events = requests.get(f"{base}/api/access-log/audit-events",
                          params={"journey_id": journey, "since": since}, headers=admin).json()
    assert problems(events) == []
    patients = {e["resource"]["entity"][0]["what"]["reference"] for e in events["entry"]}
    assert patients == {f"Patient/{journey}"}

    assert requests.get(f"{base}/api/access-log/export.csv", params={"journey_id": journey},
                        headers=psychologist).status_code == 403
    unbounded = requests.get(f"{base}/api/access-log/export.csv", headers=admin)
    assert unbounded.status_code == 422 and "journey_id" in unbounded.text
    mine = requests.get(f"{base}/api/journeys/{journey}/access-log", headers=admin).json()
    assert {"export_access_log_csv", "export_access_log_fhir"} <= {e["action"] for e in mine}
