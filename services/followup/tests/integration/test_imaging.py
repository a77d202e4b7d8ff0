"""Images from home into the patient file: checked, stored once, reviewed, assessed, escalated."""
import logging
import os
import uuid

import pytest
import requests
from sqlalchemy import select

from services.followup import models
from services.followup.tests import images
from services.followup.tests.integration.conftest import MAX_UPLOAD
from services.gateway.domain.credentials import issue_token
from services.gateway.models import AccessLogEntry
from shared.testing.infra import wait_for

WHERE = {"body_part": "left_femur", "made_where": "Haukeland hospital, Bergen, NO", "made_on": "2025-06-02"}


def upload(system, journey, data, headers, **query):
    return requests.post(f"{system.base}/api/journeys/{journey}/followup/images", data=data,
                         params=dict(WHERE, **query), headers=dict(headers, **{"Content-Type": "image/png"}))


def _received(tap, journey):
    return [e for e in tap.of_type("imaging_received") if e["journey_id"] == journey]


def test_an_upload_is_stored_once_and_becomes_a_review_task_for_the_specialist(system):
    journey, tap = system.home_patient(), system.tap()
    link = system.patient_link(journey)
    first = upload(system, journey, images.png(shade=1), link)
    assert first.status_code == 201, first.text
    again = upload(system, journey, images.png(shade=1), link)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    image = first.json()["image"]
    assert again.json()["image"]["id"] == image["id"]
    assert system.files.files() == [system.files.path(image["sha256"])] or \
        system.files.path(image["sha256"]).is_file()
    assert system.files.read(image["sha256"]) == images.png(shade=1)
    assert (image["uploaded_by"], image["uploaded_via"]) == (f"patient:{journey}", "patient_link")
    assert (image["body_part"], image["made_where"], image["made_on"]) == tuple(WHERE.values())
    received = wait_for(lambda: [e for e in tap.of_type("imaging_received") if e["journey_id"] == journey])
    assert len(received) == 1 and received[0]["payload"]["sha256"] == image["sha256"]
    assert "Haukeland" not in str(received[0])  # provenance stays in the patient file
    record = requests.get(f"{system.base}/api/journeys/{journey}/followup",
                          headers=system.login("specialist")).json()
    assert [(r["image_id"], r["status"], r["due_on"]) for r in record["reviews"]] == [
        (image["id"], "open", received[0]["payload"]["review_due"])]
    tap.close()


def test_an_assessed_concern_reports_the_complication_and_escalates_it_with_a_deadline(system):
    journey, tap = system.home_patient(), system.tap()
    specialist = system.login("specialist")
    image = upload(system, journey, images.png(shade=2), specialist).json()["image"]
    assert image["uploaded_via"] == "staff"
    assessed = requests.post(f"{system.base}/api/journeys/{journey}/followup/assessments", headers=specialist,
                             json={"subject": "image", "subject_id": image["id"], "outcome": "concern",
                                   "concerns": ["infection", "loosening"]})
    assert assessed.status_code == 201, assessed.text
    escalations = assessed.json()["escalations"]
    assert sorted(e["kind"] for e in escalations) == ["infection", "loosening"]
    reported = wait_for(lambda: len([e for e in tap.of_type("complication_reported")
                                     if e["journey_id"] == journey]) == 2 and tap.events)
    infection = next(e for e in reported if e["type"] == "complication_reported"
                     and e["journey_id"] == journey and e["payload"]["kind"] == "infection")
    act_by = {e["kind"]: e["act_by"] for e in escalations}
    assert infection["payload"]["act_by"] == act_by["infection"]
    overdue = requests.get(f"{system.base}/api/followup/overdue", params={"as_of": "2199-01-01"},
                           headers=specialist).json()
    assert {e["id"] for e in escalations} <= {e["id"] for e in overdue["escalations"]}
    assert image["id"] not in [r["image_id"] for r in overdue["reviews"]]  # the review is done
    resolved = requests.post(
        f"{system.base}/api/journeys/{journey}/followup/escalations/{escalations[0]['id']}/resolve",
        json={"action_code": "antibiotics_started"}, headers=specialist)
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    with system.gateway_db.session() as session:
        logged = session.scalars(select(AccessLogEntry).where(AccessLogEntry.journey_id == journey,
                                                              AccessLogEntry.action == "overdue")).all()
    assert logged, "listing overdue work is a read of each patient's record"
    tap.close()


@pytest.mark.parametrize("data, status, message", [
    (images.executable(), 422, "Only DICOM, JPEG, PNG or PDF files are accepted."),
    (images.png(width=300, height=300) + bytes(MAX_UPLOAD), 413, "The file is larger than the 64 KB limit."),
    (b"", 422, "The file is empty."),
    (images.dicom()[:-7], 422, "The DICOM file is incomplete"),
])
def test_a_bad_upload_is_refused_clearly_and_nothing_is_stored(system, data, status, message):
    journey = system.home_patient()
    before = system.files.files()
    response = upload(system, journey, data, system.patient_link(journey))
    assert response.status_code == status, response.text
    assert message in response.json()["message"]
    assert system.files.files() == before
    assert system.count(models.Image, journey_id=journey) == 0


def test_a_dicom_from_someone_else_is_flagged_and_its_identifiers_never_logged(system, caplog):
    journey, tap = system.home_patient(), system.tap()
    link = system.patient_link(journey)
    caplog.set_level(logging.DEBUG)
    someone_else = images.dicom(patient_id="OTHER-PATIENT-991", patient_name="Else^Some")
    foreign = upload(system, journey, someone_else, link)
    own = upload(system, journey, images.dicom(patient_id=journey), link)
    assert (foreign.status_code, own.status_code) == (201, 201)
    assert foreign.json()["image"]["identity"] == "mismatch" and own.json()["image"]["identity"] == "matched"
    received = wait_for(lambda: len(_received(tap, journey)) == 2 and _received(tap, journey))
    assert sorted(e["payload"]["identity_mismatch"] for e in received) == [False, True]
    assert "OTHER-PATIENT-991" not in caplog.text and "Else" not in caplog.text
    tap.close()


def test_an_upload_through_an_expired_or_another_patients_link_is_refused_and_logged(system):
    journey, other = system.home_patient(), system.home_patient()
    expired = issue_token(system.config["AUTH"]["token_secret"], f"patient:{journey}", "patient",
                          ttl_seconds=-5, journey_id=journey)
    refused_expired = upload(system, journey, images.png(shade=7), {"Authorization": f"Bearer {expired}"})
    refused_other = upload(system, journey, images.png(shade=7), system.patient_link(other))
    assert (refused_expired.status_code, refused_other.status_code) == (401, 403)
    assert system.count(models.Image, journey_id=journey) == 0
    with system.gateway_db.session() as session:
        denied = session.scalars(select(AccessLogEntry).where(
            AccessLogEntry.journey_id == journey, AccessLogEntry.outcome == "denied")).all()
    assert sorted((e.status, e.action) for e in denied) == [(401, "upload_image"), (403, "upload_image")]
    assert any(e.actor == f"patient:{other}" for e in denied)


def test_an_upload_failing_midway_leaves_no_half_written_file_and_no_record(system, monkeypatch):
    journey = system.home_patient()
    before = system.files.files()

    def disk_fails(fd):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", disk_fails)  # the service runs in this process
    response = upload(system, journey, images.png(shade=11), system.login("specialist"))
    monkeypatch.undo()
    assert response.status_code == 500
    assert sorted(p for p in system.files.root.rglob("*") if p.is_file()) == before  # no partial either
    assert system.count(models.Image, journey_id=journey) == 0
    retried = upload(system, journey, images.png(shade=11), system.login("specialist"))
    assert retried.status_code == 201, retried.text
    assert uuid.UUID(retried.json()["image"]["id"])
