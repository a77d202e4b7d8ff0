import json
from datetime import UTC, datetime

from fhir.resources.R4B.bundle import Bundle

from services.journey.adapters import fhir
from services.journey.domain.projection import project
from services.journey.tests.story import new_journey, story
from services.journey.tests.unit.facts import fact

START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def _bundle(count=None, personal=None):
    journey = new_journey()
    steps = story(journey, START)[:count]
    return journey, fhir.bundle(project(journey, [fact(s.event) for s in steps]), personal or {})


def _types(bundle):
    return [entry["resource"]["resourceType"] for entry in bundle["entry"]]


def test_a_whole_journey_exports_as_a_valid_bundle_of_every_kind_of_resource():
    journey, bundle = _bundle()
    parsed = Bundle.model_validate_json(json.dumps(bundle))
    assert parsed.type == "collection" and parsed.identifier.value == journey
    assert set(_types(bundle)) == {"Patient", "QuestionnaireResponse", "Appointment", "CarePlan",
                                   "Invoice", "PaymentNotice", "Procedure", "Device", "DocumentReference",
                                   "Communication"}
    procedure = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure")
    device_url = procedure["focalDevice"][0]["manipulated"]["reference"]
    assert device_url in {e["fullUrl"] for e in bundle["entry"]}


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
