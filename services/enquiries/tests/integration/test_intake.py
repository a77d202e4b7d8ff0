"""The public forms through the gateway: journeys started once, bad input refused, nothing stored."""
import json

import eventlet
import pytest

from services.enquiries.models import Enquiry
from services.enquiries.tests.integration.helpers import (
    Client,
    events_of,
    months_ago,
    ok,
    submitted,
    suitability,
)
from services.gateway.adapters.routes.enquiries import public_limit
from shared.config import load_config


def test_a_valid_enquiry_starts_a_journey_and_announces_it_and_its_pre_screen_once(stack, public, tap):
    form = suitability()
    answer = submitted(public, form)
    journey = answer["journey_id"]
    assert answer["prescreen"] == {"outcome": "passed", "rules_fired": [], "rule_set_version": "prescreen-1",
                                   "earliest_surgery_date": None}
    events_of(tap, journey, "enquiry_received", "prescreen_decided")
    later = submitted(public, suitability())["journey_id"]  # later traffic shows nothing else was queued
    events_of(tap, later, "prescreen_decided")
    mine = [e for e in tap.events if e["journey_id"] == journey]
    assert sorted(e["type"] for e in mine) == ["enquiry_received", "prescreen_decided"]
    received = next(e for e in mine if e["type"] == "enquiry_received")["payload"]
    assert received == {"enquiry_id": answer["enquiry_id"], "kind": "suitability", "country": "PT",
                        "preferred_language": "pt", "opened_from_journey_id": None,
                        "health_questions_pending": False}
    wire = json.dumps(mine)
    for personal in (form["name"], form["email"], form["phone"], form["date_of_birth"], "asthma", "Socket"):
        assert personal not in wire


def test_a_recent_quitter_is_answered_with_the_earliest_surgery_date(public):
    answer = submitted(public, suitability(smoking_status="stopped", smoking_stopped_on=months_ago(1)))
    assert answer["prescreen"]["outcome"] == "passed"
    assert answer["prescreen"]["rules_fired"] == ["stopped_smoking_recently"]
    assert answer["prescreen"]["earliest_surgery_date"] > months_ago(0)


def test_a_diabetic_is_declined_at_pre_screen_and_the_decline_is_announced(public, tap):
    answer = submitted(public, suitability(diabetes=True))
    assert (answer["status"], answer["prescreen"]["outcome"]) == ("declined", "declined")
    events = events_of(tap, answer["journey_id"], "patient_declined")
    declined = next(e for e in events if e["type"] == "patient_declined")["payload"]
    assert (declined["stage"], declined["reasons"]) == ("prescreen", ["diabetes"])


def test_a_brochure_request_and_a_second_opinion_are_received_and_announced(public, tap):
    brochure = ok(public.post("/api/enquiries/brochure", json={
        "name": "Jo", "email": "jo@example.org", "country": "NO", "preferred_language": "nb",
        "privacy_consent": True}))
    opinion = ok(public.post("/api/enquiries/second-opinion", json={
        "name": "Jo", "email": "jo@example.org", "phone": "+47 22 12 34 56", "country": "NO",
        "preferred_language": "nb", "prosthesis_complaints": "pain in the socket",
        "preferred_date": "2099-05-01",
        "privacy_consent": True, "health_data_consent": True}))
    assert (brochure["kind"], brochure["status"], brochure["prescreen"]) == ("brochure", "received", None)
    events_of(tap, brochure["journey_id"], "enquiry_received", "brochure_requested")
    events = events_of(tap, opinion["journey_id"], "enquiry_received", "second_opinion_requested")
    requested = next(e for e in events if e["type"] == "second_opinion_requested")["payload"]
    assert requested["preferred_date"] == "2099-05-01"


def test_the_same_form_sent_twice_is_one_journey_announced_once(stack, public, tap):
    form = suitability()
    first = submitted(public, form)
    again = public.post("/api/enquiries/suitability", json=dict(form, email=form["email"].upper()))
    assert again.status_code == 200
    assert (again.json()["journey_id"], again.json()["duplicate"]) == (first["journey_id"], True)
    changed = submitted(public, dict(form, years_since_amputation=7))
    assert changed["journey_id"] != first["journey_id"]
    events_of(tap, changed["journey_id"], "prescreen_decided")
    assert len([e for e in tap.events if e["journey_id"] == first["journey_id"]]) == 2


def test_the_same_form_sent_twice_at_the_same_moment_is_still_one_journey(stack):
    form = suitability()
    clients = [Client(stack.base), Client(stack.base)]
    pool = eventlet.GreenPool()
    answers = list(pool.imap(lambda c: c.post("/api/enquiries/suitability", json=form), clients))
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert len({a.json()["journey_id"] for a in answers}) == 1
    for client in clients:
        client.close()


BAD_FORMS = {
    "consent missing": ({k: v for k, v in suitability().items() if k != "health_data_consent"},
                        422, "health_data_consent"),
    "consent refused": (suitability(health_data_consent=False), 422, "health_data_consent"),
    "weight as words": (suitability(body_weight_kg="heavy"), 422, "body_weight_kg"),
    "yes as text": (suitability(diabetes="yes"), 422, "diabetes"),
    "years as a decimal": (suitability(years_since_amputation=2.5), 422, "years_since_amputation"),
    "an unknown field": (suitability(favourite_colour="blue"), 422, "favourite_colour"),
    "born in the future": (suitability(date_of_birth="2999-01-01"), 422, "date_of_birth"),
    "stopped smoking in the future": (suitability(smoking_status="stopped", smoking_stopped_on="2999-01-01"),
                                      422, "smoking_stopped_on"),
    "not a date": (suitability(date_of_birth="02/04/1979"), 422, "date_of_birth"),
}


@pytest.mark.parametrize("case", BAD_FORMS, ids=list(BAD_FORMS))
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(stack, public, case):
    form, status, field = BAD_FORMS[case]
    before = stack.count(Enquiry)
    response = public.post("/api/enquiries/suitability", json=form)
    assert response.status_code == status, response.text
    assert response.json()["message"]
    assert field in response.json()["fields"]
    assert stack.count(Enquiry) == before


def test_a_body_that_is_not_json_is_refused_and_nothing_stored(stack, public):
    before = stack.count(Enquiry)
    response = public.post("/api/enquiries/suitability", data=b'{"name": "Ana",',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]
    assert stack.count(Enquiry) == before


def test_a_10_mb_body_is_refused_unread_and_nothing_stored(stack, public):
    before = stack.count(Enquiry)
    form = suitability(other_conditions="x" * (10 * 1024 * 1024))
    response = public.post("/api/enquiries/suitability", json=form)
    assert response.status_code == 413
    assert response.json()["message"]
    assert stack.count(Enquiry) == before


def test_a_client_sending_too_many_forms_is_slowed_down_and_others_are_not(stack, public):
    limit = public_limit(load_config())[0]
    statuses = [public.post("/api/enquiries/brochure", json={}).status_code for _ in range(limit + 1)]
    assert statuses == [422] * limit + [429]
    with Client(stack.base) as someone_else:
        assert someone_else.post("/api/enquiries/brochure", json={}).status_code == 422
