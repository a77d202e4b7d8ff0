"""The sandbox's hosted checkout: sessions over the API, the payer's page, the webhooks it sends."""
import re

import pytest
from werkzeug.test import Client

from sandboxes.payment_provider.app import Sandbox
from sandboxes.payment_provider.tests.test_sandbox_provider import Recorder

INVOICE = {"invoice_id": "inv", "journey_id": "j", "kind": "deposit"}


@pytest.fixture
def box():
    app = Sandbox("http://gateway.invalid", "whsec_test", "http://pay.example")
    app.deliverer = Recorder()
    return app, Client(app)


def checkout(client, key="c1", amount=2_250_000, **changes):
    body = {"mode": "payment", "metadata": INVOICE, "payment_intent_data": {"metadata": INVOICE},
            "line_items": [{"quantity": 1, "price_data": {"currency": "eur", "unit_amount": amount,
                                                          "product_data": {"name": "Deposit"}}}],
            "success_url": "http://portal.example/back?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://portal.example/cancelled", **changes}
    return client.post("/v1/checkout/sessions", json=body, headers={"Idempotency-Key": key})


def test_a_checkout_session_is_open_with_its_amount_and_a_page_of_the_provider(box):
    _, client = box
    created = checkout(client)
    assert created.status_code == 200, created.json
    session = created.json
    assert (session["object"], session["status"], session["payment_status"]) == (
        "checkout.session", "open", "unpaid")
    assert (session["amount_total"], session["currency"], session["metadata"]) == (2_250_000, "eur", INVOICE)
    assert session["url"] == f"http://pay.example/c/pay/{session['id']}"
    assert checkout(client).json["id"] == session["id"]   # the same idempotency key: the same session
    page = client.get(f"/c/pay/{session['id']}")
    assert page.status_code == 200 and "EUR 22,500.00" in page.text and 'lang="en"' in page.text


def test_paying_on_the_page_sends_both_webhooks_with_the_invoice_and_goes_back_to_the_success_url(box):
    app, client = box
    session = checkout(client).json
    paid = client.post(f"/c/pay/{session['id']}/pay")
    assert paid.status_code == 303
    assert paid.headers["Location"] == f"http://portal.example/back?session_id={session['id']}"
    events, _ = app.deliverer.sent[-1]
    intent, completed = (e["data"]["object"] for e in events)
    assert [e["type"] for e in events] == ["payment_intent.succeeded", "checkout.session.completed"]
    assert (intent["amount_received"], intent["metadata"]) == (2_250_000, INVOICE)
    assert (completed["status"], completed["payment_status"], completed["payment_intent"]) == (
        "complete", "paid", intent["id"])
    assert completed["metadata"] == INVOICE
    again = client.post(f"/c/pay/{session['id']}/pay")   # a second click: back again, nothing charged twice
    assert again.status_code == 303 and len(app.deliverer.sent) == 1
    assert client.get(f"/v1/checkout/sessions/{session['id']}").json["status"] == "complete"


def test_a_declined_card_sends_a_failure_and_leaves_the_session_open(box):
    app, client = box
    session = checkout(client).json
    declined = client.post(f"/c/pay/{session['id']}/decline")
    assert declined.status_code == 402 and "declined" in declined.text
    [(events, _)] = app.deliverer.sent
    assert [e["type"] for e in events] == ["payment_intent.payment_failed"]
    client.post(f"/c/pay/{session['id']}/pay")
    events, _ = app.deliverer.sent[-1]
    assert events[0]["data"]["object"]["id"] == client.get(
        f"/v1/checkout/sessions/{session['id']}").json["payment_intent"]   # the same intent, now paid


def test_the_cancel_link_goes_back_and_an_expired_session_cannot_be_paid(box):
    app, client = box
    session = checkout(client).json
    page = client.get(f"/c/pay/{session['id']}").text
    assert re.search(r'href="http://portal.example/cancelled"', page)
    expired = client.post(f"/v1/checkout/sessions/{session['id']}/expire")
    assert expired.json["status"] == "expired" and expired.json["url"] is None
    assert [e["type"] for e in app.deliverer.sent[-1][0]] == ["checkout.session.expired"]
    assert client.post(f"/c/pay/{session['id']}/pay").status_code == 409
    assert client.post(f"/v1/checkout/sessions/{session['id']}/expire").status_code == 400


def test_a_session_without_a_price_or_return_url_is_refused_in_a_sentence(box):
    _, client = box
    assert "unit_amount" in checkout(client, key="a", amount=0).json["error"]["message"]
    assert checkout(client, key="b", success_url="javascript:alert(1)").status_code == 400
    assert client.get("/c/pay/cs_test_nope").status_code == 404


@pytest.mark.parametrize("locale, lang, pay, cancel", [
    ("nl", "nl", "Betaal EUR 22,500.00", "Annuleren en teruggaan"),
    ("de", "de", "EUR 22,500.00 bezahlen", "Abbrechen und zurück"),
    ("fr", "fr", "Payer EUR 22,500.00", "Annuler et revenir"),
    ("es", "es", "Pagar EUR 22,500.00", "Cancelar y volver"),
    ("en", "en", "Pay EUR 22,500.00", "Cancel and go back"),
    ("fr-CA", "fr", "Payer EUR 22,500.00", "Annuler et revenir"),   # a regional tag reads its language
    ("ja", "en", "Pay EUR 22,500.00", "Cancel and go back"),          # one the sandbox does not speak
])
def test_the_checkout_page_speaks_the_sessions_locale_with_its_lang_and_english_otherwise(
        box, locale, lang, pay, cancel):
    _, client = box
    session = checkout(client, key=f"l-{locale}", locale=locale).json
    page = client.get(f"/c/pay/{session['id']}").text
    assert f'<html lang="{lang}">' in page and pay in page and cancel in page


def test_an_auto_locale_follows_the_browser_and_a_declined_card_is_told_in_the_pages_language(box):
    _, client = box
    session = checkout(client, locale="auto").json
    german = client.get(f"/c/pay/{session['id']}", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"})
    assert '<html lang="de">' in german.text and "Bezahlen - Sandbox-Zahlungsdienst" in german.text
    assert '<html lang="en">' in client.get(f"/c/pay/{session['id']}").text   # no browser language: English
    dutch = checkout(client, key="nl-decline", locale="nl").json
    declined = client.post(f"/c/pay/{dutch['id']}/decline")
    assert declined.status_code == 402 and "Uw kaart is geweigerd." in declined.text
    assert "Your card was declined" not in declined.text
