"""Screening appointments are announced, so the patient can be invited: planned, moved and cancelled,
each once (a retried command too), with ids, codes and times only."""
import uuid
from datetime import datetime

from nameko.standalone.rpc import ServiceRpcProxy

from services.enquiries.domain import screening as rules
from services.enquiries.models import Appointment
from services.enquiries.tests.integration.helpers import events_of, ok, submitted, suitability
from shared.contracts import enquiries as contracts

APPOINTMENT_EVENTS = ("screening_appointment_planned", "screening_appointment_moved",
                      "screening_appointment_cancelled")


def _appointment_events(tap, journey: str, *until: str) -> list[dict]:
    """The journey's appointment facts, once a later fact (`until`) shows that all before it are in."""
    events = events_of(tap, journey, *until)
    return [e for e in events if e["type"] in APPOINTMENT_EVENTS]


def _skip_marker(intake, journey: str) -> None:
    """A fact published after everything before it: waiting for it waits for them."""
    ok(intake.post(f"/api/enquiries/{journey}/steps/questionnaire/skip", json={"reason": "a test's marker"}))


def test_the_contracts_speak_the_same_vocabulary_as_the_screening_rules():
    assert contracts.SCREENING_CHANNELS == rules.CHANNELS
    assert contracts.SCREENING_EXAMINATIONS == rules.EXAMINATIONS


def test_planning_moving_and_cancelling_appointments_announce_each_once_with_times_and_codes_only(
        public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    intake, path = staff("intake_coordinator"), f"/api/enquiries/{journey}/appointments"
    call = ok(intake.post(path, json={"step": "psychologist_call", "channel": "phone",
                                      "scheduled_at": "2030-02-01T09:30:00+01:00"}))
    xray = ok(intake.post(path, json={"step": "additional_examinations", "examination": "x_ray",
                                      "scheduled_at": "2030-02-03T14:00:00+01:00", "channel": "in_person"}))
    ok(intake.patch(f"{path}/{call['id']}", json={"scheduled_at": "2030-02-02T11:00:00+01:00"}), 200)
    ok(intake.patch(f"{path}/{call['id']}", json={"channel": "phone"}), 200)        # nothing changes
    ok(intake.patch(f"{path}/{call['id']}", json={"channel": "video"}), 200)
    ok(intake.patch(f"{path}/{xray['id']}", json={"status": "cancelled"}), 200)
    ok(intake.patch(f"{path}/{call['id']}", json={"status": "missed"}), 200)        # not an invitation
    _skip_marker(intake, journey)

    found = _appointment_events(tap, journey, "screening_step_completed")
    assert [(e["type"], e["payload"]["appointment_id"]) for e in found] == [
        ("screening_appointment_planned", call["id"]), ("screening_appointment_planned", xray["id"]),
        ("screening_appointment_moved", call["id"]), ("screening_appointment_moved", call["id"]),
        ("screening_appointment_cancelled", xray["id"])]
    planned, moved, again = (e["payload"] for e in found[1:4])
    assert planned == {"enquiry_id": planned["enquiry_id"], "appointment_id": xray["id"],
                       "step": "additional_examinations", "examination": "x_ray",
                       "scheduled_at": "2030-02-03T14:00:00+01:00", "channel": "in_person"}
    assert datetime.fromisoformat(moved["scheduled_at"]) == datetime.fromisoformat("2030-02-02T10:00:00Z")
    assert (moved["channel"], again["channel"]) == ("phone", "video")
    cancelled = datetime.fromisoformat(found[4]["payload"]["scheduled_at"])
    assert cancelled == datetime.fromisoformat("2030-02-03T14:00:00+01:00")   # the time it had
    assert "Ana" not in str(found) and "@" not in str(found)


def test_a_planning_command_delivered_twice_plans_and_announces_one_appointment(stack, public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    command = {"step": "consultation", "scheduled_at": "2030-03-04T10:00:00+01:00", "channel": "video"}
    context = {"command_id": f"request:{uuid.uuid4()}", "actor": "intake-1"}
    with ServiceRpcProxy("enquiries", {"AMQP_URI": stack.amqp_uri}, context_data=context, timeout=30) as rpc:
        first = rpc.plan_appointment(journey, command)
        second = rpc.plan_appointment(journey, command)
    assert second == first
    moving = dict(context, command_id=f"request:{uuid.uuid4()}")
    with ServiceRpcProxy("enquiries", {"AMQP_URI": stack.amqp_uri}, context_data=moving, timeout=30) as rpc:
        for _ in range(2):
            rpc.change_appointment(journey, first["id"], {"scheduled_at": "2030-03-05T10:00:00+01:00"})
    _skip_marker(staff("intake_coordinator"), journey)

    found = _appointment_events(tap, journey, "screening_step_completed")
    assert [e["type"] for e in found] == ["screening_appointment_planned", "screening_appointment_moved"]
    with stack.store.session() as session:
        mine = session.query(Appointment).filter(Appointment.id == first["id"]).one()
        assert session.query(Appointment).filter(Appointment.enquiry_id == mine.enquiry_id).count() == 1
