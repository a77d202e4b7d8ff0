"""What a client reads when a body is too large or a role may not: our JSON error, in a sentence
that names the limit or the action (never the web server's own words)."""
import uuid

import requests

from services.journey.tests.conftest import login


def test_an_oversized_upload_is_a_413_naming_the_limit_in_our_json(stack):
    base, _ = stack
    headers = {**login(base, "administrator"), "Content-Type": "application/octet-stream"}
    answer = requests.post(f"{base}/api/journeys/{uuid.uuid4()}/followup/images",
                           data=b"x" * (21 * 1024 * 1024), headers=headers)
    assert answer.status_code == 413 and answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {"error": "too_large", "message": "The file is larger than the 20 MB limit.",
                             "limit_bytes": 20 * 1024 * 1024}


def test_an_oversized_json_body_and_form_say_their_limit(stack):
    base, _ = stack
    answer = requests.post(f"{base}/api/enquiries/brochure", data=b"{" + b" " * (1024 * 1024) + b"}",
                           headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["message"].startswith("The request body is larger than the ")
    assert answer.json()["message"].endswith(" limit.")
    page = requests.post(f"{base}/ui/login", data={"username": "x" * (300 * 1024), "password": "y"})
    assert page.status_code == 413 and "The form is larger than the 256 KB limit." in page.text


def test_a_role_that_may_not_is_told_so_in_a_sentence(stack):
    base, _ = stack
    refused = requests.get(f"{base}/api/journeys/{uuid.uuid4()}/invoice",
                           headers=login(base, "physiotherapist"))
    assert refused.status_code == 403
    assert refused.json()["message"] == "A physiotherapist may not read an invoice and its payments."
