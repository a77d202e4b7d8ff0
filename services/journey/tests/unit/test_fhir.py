from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.journey.adapters import fhir
from services.journey.domain.projection import project
from services.journey.tests.story import new_journey, story
from services.journey.tests.unit.facts import fact
from tests.fhir_r4 import problems

START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def _bundle(count=None, personal=None):
    journey = new_journey()
    steps = story(journey, START)[:count]
    return journey, fhir.bundle(project(journey, [fact(s.event) for s in steps]), personal or {})


def _types(bundle):
    return [entry["resource"]["resourceType"] for entry in bundle["entry"]]


def _of(bundle, kind):
    return [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == kind]


# the screening questionnaire as enquiries shows it (definition, answers), passed in by the gateway
ANSWERED = {"status": "submitted", "submitted_at": "2025-03-20T10:00:00", "answers": {
    "hours_per_day": 10, "problems": ["sweating", "pain"], "comments": ""},
    "definition": {"id": "prosthesis-use", "version": 1, "title": "Prosthesis use", "sections": [
        {"id": "use", "title": "Use", "questions": [
            {"id": "hours_per_day", "text": "Hours a day", "type": "integer"},
            {"id": "problems", "text": "Problems", "type": "multi_choice",
             "options": ["sweating", "pain"], "option_labels": ["Sweating", ""]},
            {"id": "comments", "text": "Anything else", "type": "text"}]}]}}


def test_a_whole_journey_exports_as_a_bundle_the_fhir_r4_schema_accepts_with_every_kind_of_resource():
    journey, bundle = _bundle(personal={"questionnaire": ANSWERED})
    assert problems(bundle) == []
    assert bundle["type"] == "collection" and bundle["identifier"]["value"] == journey
    assert bundle["meta"]["tag"][0]["code"] == "4.0.1"
    assert set(_types(bundle)) == {"Patient", "Condition", "Observation", "QuestionnaireResponse",
                                   "Appointment", "CarePlan", "Invoice", "PaymentNotice", "Procedure",
                                   "Device", "DocumentReference", "Communication"}
    procedure = _of(bundle, "Procedure")[0]
    device_url = procedure["focalDevice"][0]["manipulated"]["reference"]
    assert device_url in {e["fullUrl"] for e in bundle["entry"]}


def test_the_export_says_the_amputation_the_weight_the_load_reached_and_every_answer_given():
    _, bundle = _bundle(personal={"questionnaire": ANSWERED})
    (condition,) = _of(bundle, "Condition")
    assert condition["code"]["coding"][0]["code"] == "transfemoral"
    assert condition["bodySite"] == [{"text": "left limb, transfemoral"}]
    weight, load = _of(bundle, "Observation")
    assert weight["code"]["coding"][0]["code"] == "29463-7" and weight["valueQuantity"]["value"] == 82.5
    assert load["valueQuantity"]["value"] == 41.3 and load["referenceRange"][0]["high"]["value"] == 41.3
    answered = [qr for qr in _of(bundle, "QuestionnaireResponse") if "prosthesis-use" in qr["questionnaire"]]
    (section,) = answered[0]["item"]
    assert [(i["linkId"], i["answer"]) for i in section["item"]] == [
        ("hours_per_day", [{"valueInteger": 10}]),
        ("problems", [{"valueCoding": {"system": "urn:carepath:questionnaire:prosthesis-use:problems",
                                       "code": "sweating", "display": "Sweating"}},
                      {"valueCoding": {"system": "urn:carepath:questionnaire:prosthesis-use:problems",
                                       "code": "pain"}}])]
    assert answered[0]["authored"] == "2025-03-20T10:00:00+00:00"


def test_an_x_ray_exports_as_an_imaging_study_and_a_photo_as_a_document():
    journey = new_journey()
    facts = [fact(s.event) for s in story(journey, START)]
    photo = next(f for f in facts if f.type == "imaging_received")
    xray = replace(photo, event_id="x-ray", occurred_at=photo.occurred_at + timedelta(minutes=5),
                   payload={**photo.payload, "image_id": "IMG-2", "media_type": "application/dicom"})
    bundle = fhir.bundle(project(journey, [*facts, xray]), {})
    assert problems(bundle) == []
    (study,) = _of(bundle, "ImagingStudy")
    assert study["identifier"][0]["value"] == "IMG-2" and study["status"] == "available"
    assert [d["identifier"][0]["value"] for d in _of(bundle, "DocumentReference")] == ["IMG-1"]


def test_the_export_names_no_one_unless_the_enquiries_service_told_us():
    _, anonymous = _bundle(3)
    patient = anonymous["entry"][0]["resource"]
    assert "name" not in patient and "telecom" not in patient and patient["address"] == [{"country": "DE"}]
    _, named = _bundle(3, {"name": "Anna Becker", "email": "anna@example.org", "date_of_birth": "1980-02-03"})
    patient = named["entry"][0]["resource"]
    assert patient["name"] == [{"text": "Anna Becker"}] and patient["birthDate"] == "1980-02-03"


def test_the_same_journey_exports_the_same_resource_ids():
    journey = new_journey()
    facts = [fact(s.event) for s in story(journey, START)]
    first, second = (fhir.bundle(project(journey, facts), {}) for _ in range(2))
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
