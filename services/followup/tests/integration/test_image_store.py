"""The same imaging tests on both image stores: the file store (the embedded default) and Orthanc over
DICOMweb. Stored through our API, found (QIDO-RS), retrieved byte for byte (WADO-RS); flagged when
the PatientID is someone else's; sent by a registered radiology clinic (STOW-RS) onto the right
journey; refused from anyone else."""
import base64
import io
import uuid

import pydicom
import pytest
import requests
from dicomweb_client.api import DICOMwebClient
from sqlalchemy import select

from services.followup.models import Image
from services.followup.tests import images
from services.followup.tests.integration.test_imaging import upload
from services.gateway.models import AccessLogEntry
from shared.testing.infra import wait_for

STOW_TYPE = 'multipart/related; type="application/dicom"; boundary=carepath-test-boundary'


@pytest.fixture(params=["files", "orthanc"])
def kind(request):
    return request.param


@pytest.fixture
def on(request, kind, system, pacs_system):
    return system if kind == "files" else pacs_system


def _api(on, path, role="specialist", **kwargs):
    return requests.get(f"{on.base}/api{path}", headers=on.login(role), **kwargs)


def _location(on, image_id):
    with on.db.session() as session:
        image = session.get(Image, image_id)
        return image.location or image.sha256


def test_a_dicom_stored_through_the_api_is_found_and_retrieved_byte_for_byte(on, kind, request):
    journey = on.home_patient()
    xray = images.xray(patient_id=journey)
    stored = upload(on, journey, xray, on.patient_link(journey))
    assert stored.status_code == 201, stored.text
    image = stored.json()["image"]
    location = _location(on, image["id"])
    assert on.store.has(location) and on.store.read(location) == xray
    original = _api(on, f"/journeys/{journey}/followup/images/{image['id']}/original").json()
    assert original["media_type"] == "application/dicom"
    assert base64.b64decode(original["content_b64"]) == xray
    listed = _api(on, f"/journeys/{journey}/followup/images").json()["images"]
    assert [(i["id"], i["stored_in"], i["review_status"]) for i in listed] == [(image["id"], kind, "open")]
    if kind == "orthanc":   # in the PACS itself, as any DICOMweb client sees it
        orthanc = request.getfixturevalue("orthanc")
        client = DICOMwebClient(orthanc.dicomweb, session=_session(orthanc))
        sop = str(pydicom.dcmread(io.BytesIO(xray)).SOPInstanceUID)
        assert [r["00080018"]["Value"][0] for r in client.search_for_instances(
            search_filters={"SOPInstanceUID": sop})] == [sop]
        assert not on.files.has(image["sha256"])   # the DICOM is in Orthanc, not on our disk


def test_photos_and_letters_stay_in_the_file_store_and_are_listed_beside_the_studies(on):
    journey = on.home_patient()
    link = on.patient_link(journey)
    for data in (images.xray(patient_id=journey), images.png(shade=21), images.pdf()):
        assert upload(on, journey, data, link).status_code == 201
    listed = _api(on, f"/journeys/{journey}/followup/images").json()["images"]
    assert sorted(i["media_type"] for i in listed) == ["application/dicom", "application/pdf", "image/png"]
    assert {i["stored_in"] for i in listed if i["media_type"] != "application/dicom"} == {"files"}
    photo = next(i for i in listed if i["media_type"] == "image/png")
    assert on.files.read(photo["sha256"]) == images.png(shade=21)


def test_an_image_whose_patient_id_is_someone_elses_is_flagged_and_its_header_shown(on):
    journey = on.home_patient()
    foreign = images.xray(patient_id="OTHER-PATIENT-991", InstitutionName="Haukeland radiology")
    image = upload(on, journey, foreign, on.patient_link(journey)).json()["image"]
    opened = _api(on, f"/journeys/{journey}/followup/images/{image['id']}").json()
    assert opened["identity"] == "mismatch"
    assert opened["header"] == {"patient_id": "OTHER-PATIENT-991", "patient_name": "Test^Patient",
                                "study_date": "2025-06-02", "modality": "DX", "body_part": "FEMUR",
                                "institution": "Haukeland radiology", "accession_number": None,
                                "study_description": None}
    preview = _api(on, f"/journeys/{journey}/followup/images/{image['id']}/preview",
                   params={"preset": "bone"})
    assert preview.status_code == 200 and preview.json()["media_type"] == "image/png"
    with on.gateway_db.session() as session:
        viewed = set(session.scalars(select(AccessLogEntry.action)
                                     .where(AccessLogEntry.journey_id == journey)))
    assert {"image_details", "image_preview"} <= viewed   # each view is a logged read of the file


def _register(on, institution="Haukeland radiology, Bergen, NO"):
    made = requests.post(f"{on.base}/api/followup/senders", json={"institution": institution},
                         headers=on.login("administrator"))
    assert made.status_code == 201, made.text
    return made.json()


def _stow(on, token, *parts):
    body = b"".join(b"--carepath-test-boundary\r\nContent-Type: application/dicom\r\n\r\n" + part + b"\r\n"
                    for part in parts) + b"--carepath-test-boundary--\r\n"
    headers = {"Content-Type": STOW_TYPE, **({"Authorization": f"Bearer {token}"} if token else {})}
    return requests.post(f"{on.base}/api/dicomweb/studies", data=body, headers=headers)


def test_a_study_sent_by_a_registered_clinic_lands_on_the_journey_its_accession_names(on):
    journey, other = on.home_patient(), on.home_patient()
    accession = _api(on, f"/journeys/{journey}/followup/images").json()["accession_number"]
    sender = _register(on)
    sent = images.xray(patient_id=f"ENQ-{journey[:8]}", AccessionNumber=accession)
    stowed = _stow(on, sender["token"], sent)
    assert stowed.status_code == 200, stowed.text
    assert len(stowed.json()["00081199"]["Value"]) == 1
    listed = _api(on, f"/journeys/{journey}/followup/images").json()["images"]
    assert [(i["uploaded_via"], i["made_where"], i["identity"], i["review_status"], i["made_on"])
            for i in listed] == [("radiology_clinic", "Haukeland radiology, Bergen, NO", "matched", "open",
                                  "2025-06-02")]
    assert _api(on, f"/journeys/{other}/followup/images").json()["images"] == []
    unknown = _stow(on, sender["token"], images.xray(AccessionNumber="CP" + "0" * 14))
    assert unknown.status_code == 409
    assert "no single journey" in unknown.json()["00081198"]["Value"][0]["reason"]


def test_a_study_from_an_unregistered_or_withdrawn_sender_is_refused_and_nothing_is_stored(on):
    journey = on.home_patient()
    accession = _api(on, f"/journeys/{journey}/followup/images").json()["accession_number"]
    sent = images.xray(patient_id=journey, AccessionNumber=accession)
    sender = _register(on, "Withdrawn radiology")
    assert requests.delete(f"{on.base}/api/followup/senders/{sender['id']}",
                           headers=on.login("administrator")).status_code == 200
    staff_token = on.login("specialist")["Authorization"].removeprefix("Bearer ")
    refusals = [_stow(on, token, sent) for token in (
        None, f"{uuid.uuid4()}.guessed", sender["id"] + ".wrong", staff_token, sender["token"])]
    assert [r.status_code for r in refusals] == [401, 401, 401, 401, 403]
    assert all(r.json()["message"].endswith(".") for r in refusals)
    assert _api(on, f"/journeys/{journey}/followup/images").json()["images"] == []


def _session(orthanc):
    session = requests.Session()
    session.auth = orthanc.auth
    return session


def test_a_purge_removes_the_patients_images_from_the_store_and_keeps_another_patients(on, kind, request):
    purged, kept = on.home_patient(), on.home_patient()
    xrays = {journey: images.xray(patient_id=journey) for journey in (purged, kept)}
    locations = {}
    for journey, xray in xrays.items():
        stored = upload(on, journey, xray, on.patient_link(journey))
        assert stored.status_code == 201, stored.text
        locations[journey] = _location(on, stored.json()["image"]["id"])
    tap = on.tap()
    on.publish("journey", "erasure_requested", {"request_id": f"purge-{purged[:8]}", "purge": True}, purged)
    wait_for(lambda: [e for e in tap.drain()
                      if e["type"] == "erasure_confirmed" and e["journey_id"] == purged])
    tap.close()
    wait_for(lambda: not on.store.has(locations[purged]),
             message="the purged patient's image is still stored")
    assert on.count(Image, journey_id=purged) == 0
    assert on.store.has(locations[kept]) and on.store.read(locations[kept]) == xrays[kept]
    if kind == "orthanc":   # gone from the PACS itself, as any DICOMweb client sees it
        orthanc = request.getfixturevalue("orthanc")
        client = DICOMwebClient(orthanc.dicomweb, session=_session(orthanc))
        sop = str(pydicom.dcmread(io.BytesIO(xrays[purged])).SOPInstanceUID)
        assert client.search_for_instances(search_filters={"SOPInstanceUID": sop}) == []
