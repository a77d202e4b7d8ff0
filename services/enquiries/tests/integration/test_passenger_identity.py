"""The passenger's identity as on the passport: given on the form or recorded by staff, read by travel."""
from services.enquiries.models import Enquiry
from services.enquiries.tests.integration.helpers import events_of, ok, submitted, suitability
from services.enquiries.tests.integration.test_erasure import request_erasure
from shared.testing.infra import wait_for

PASSPORT = {"passport_given_names": "Ana Maria", "passport_surname": "Testperson Silva", "nationality": "PT"}


def test_a_passport_name_and_nationality_given_on_the_form_are_what_travel_books_with(
        stack, public, staff):
    journey = submitted(public, suitability(**PASSPORT))["journey_id"]
    identity = ok(staff("travel_desk").get(f"/api/journeys/{journey}/passenger"), 200)
    assert identity == {"given_names": "Ana Maria", "surname": "Testperson Silva",
                        "date_of_birth": "1979-04-02", "nationality": "PT"}


def test_without_passport_details_the_desk_is_told_what_is_missing_then_records_them(
        stack, public, staff, tap):
    journey = submitted(public, suitability())["journey_id"]
    missing = staff("travel_desk").get(f"/api/journeys/{journey}/passenger")
    assert missing.status_code == 409
    assert "given_names, surname, nationality are not recorded" in missing.json()["message"]

    recorded = ok(staff("intake_coordinator").put(f"/api/journeys/{journey}/passenger", json={
        "given_names": " Ana ", "surname": "Testperson", "nationality": "PT"}), 200)
    assert recorded == {"journey_id": journey, "recorded": True}   # answers are kept: no identity in them
    assert ok(staff("travel_desk").get(f"/api/journeys/{journey}/passenger"), 200) == {
        "given_names": "Ana", "surname": "Testperson", "date_of_birth": "1979-04-02", "nationality": "PT"}
    ok(staff("travel_desk").put(f"/api/journeys/{journey}/passenger", json={
        "given_names": "Ana", "surname": "Testperson", "nationality": "PT",
        "date_of_birth": "1979-04-20"}), 200)
    corrected = ok(staff("travel_desk").get(f"/api/journeys/{journey}/passenger"), 200)
    assert corrected["date_of_birth"] == "1979-04-20"
    announced = wait_for(lambda: (found := [e for e in events_of(tap, journey, "passenger_identity_recorded")
                                            if e["type"] == "passenger_identity_recorded"])
                         and len(found) == 2 and found)
    assert all(set(e["payload"]) == {"enquiry_id"} for e in announced)   # ids only: the identity is RPC


def test_a_bad_passenger_identity_is_refused_with_the_field_named_and_other_roles_may_not_see_it(
        stack, public, staff):
    journey = submitted(public, suitability(**PASSPORT))["journey_id"]
    bad = staff("travel_desk").put(f"/api/journeys/{journey}/passenger", json={
        "given_names": "Ana", "surname": "", "nationality": "Portugal"})
    assert bad.status_code == 422 and {"surname", "nationality"} <= set(bad.json()["fields"])
    assert staff("physiotherapist").get(f"/api/journeys/{journey}/passenger").status_code == 403


def test_an_enquirers_passport_details_are_erased_with_the_rest_of_their_personal_data(stack, public, staff):
    journey = submitted(public, suitability(**PASSPORT))["journey_id"]
    request_erasure(stack, journey)

    def erased():
        with stack.store.session() as session:
            enquiry = session.query(Enquiry).filter_by(journey_id=journey).one()
            return enquiry.erased_at and (enquiry.passport_given_names, enquiry.passport_surname,
                                          enquiry.nationality)
    assert wait_for(erased) == (None, None, None)
    assert staff("travel_desk").get(f"/api/journeys/{journey}/passenger").status_code == 409
