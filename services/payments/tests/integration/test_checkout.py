"""The patient pays on the portal through the provider's hosted checkout, over real HTTP: the portal's
button, the sandbox's own page, its signed webhooks to the gateway, and the portal's answer after."""
import re
import uuid
from datetime import timedelta
from urllib.parse import urljoin

import pytest
import requests
from sqlalchemy import select

from services.gateway import models as gateway_models
from services.gateway.domain.credentials import JOURNEY_SCOPE, LINK, issue_token
from services.gateway.domain.roles import PATIENT
from services.payments import models
from shared.clock import real_now
from shared.db import Store
from shared.testing.infra import wait_for

pytestmark = pytest.mark.parametrize("stack", ["postgresql"], indirect=True)
_FIELD = r'name="{}" value="([^"]+)"'


def patient(stack, journey_id: str) -> requests.Session:
    """The patient's browser, signed in through a personal link (kept in the gateway's database as staff
    issue it; the journey service, which the staff route asks first, is not part of this stack)."""
    store = Store(stack.config["DATABASES"]["gateway"], gateway_models.kernel)
    try:
        now, link_id = real_now(), uuid.uuid4().hex
        with store.session() as session:
            session.add(gateway_models.PatientLink(id=link_id, journey_id=journey_id, scope=JOURNEY_SCOPE,
                                                   issued_by="staff:test", issued_at=now,
                                                   expires_at=now + timedelta(days=1)))
    finally:
        store.dispose()
    token = issue_token(stack.config["AUTH"]["token_secret"], f"patient:{journey_id}", PATIENT, 86400,
                        journey_id=journey_id, kind=LINK, scope=JOURNEY_SCOPE, token_id=link_id)
    browser = requests.Session()
    opened = browser.get(f"{stack.gateway}/ui/patient", params={"token": token}, allow_redirects=False,
                         timeout=10)
    assert opened.status_code == 303, opened.text
    return browser


def press_pay(stack, browser: requests.Session, part: str = "deposit") -> requests.Response:
    """Open the payments page and press the part's Pay button (its form: CSRF token, idempotency key)."""
    page = browser.get(f"{stack.gateway}/p/pay", params={"lang": "en"}, timeout=10)
    assert page.status_code == 200, page.text
    form = re.search(r'<form method="post" action="/p/pay">(.*?)</form>',
                     page.text[page.text.index(f'id="part-{part}"'):], re.S).group(1)
    fields = {name: re.search(_FIELD.format(name), form).group(1)
              for name in ("csrf_token", "idempotency_key")}
    return browser.post(f"{stack.gateway}/p/pay", data={**fields, "part": part}, allow_redirects=False,
                        timeout=10)


def switches(stack, **chosen) -> None:
    requests.post(f"{stack.sandbox}/sandbox/switches", json=chosen, timeout=10).raise_for_status()


def state(browser: requests.Session, url: str) -> str:
    return re.search(r'data-state="(\w+)"', browser.get(url, timeout=10).text).group(1)


def sessions(stack, invoice_id: str) -> list[models.CheckoutSession]:
    with stack.store.session() as session:
        return session.scalars(select(models.CheckoutSession)
                               .where(models.CheckoutSession.invoice_id == invoice_id)).all()


def test_a_deposit_paid_on_the_providers_page_is_received_only_once_its_webhooks_are_applied(
        stack, journey_id):
    invoice = stack.accept(journey_id)
    browser = patient(stack, journey_id)
    page = browser.get(f"{stack.gateway}/p/pay", params={"lang": "en"}, timeout=10)
    assert "€22,500.00" in page.text and "Due on" in page.text
    assert f"form-action 'self' {stack.sandbox}" in page.headers["Content-Security-Policy"]
    to_provider = press_pay(stack, browser)
    assert to_provider.status_code == 303
    assert to_provider.headers["Location"].startswith(f"{stack.sandbox}/c/pay/")

    checkout = browser.get(to_provider.headers["Location"], timeout=10)
    assert checkout.status_code == 200 and "EUR 22,500.00" in checkout.text
    pay_action = re.search(r'action="(/c/pay/[^"]+/pay)"', checkout.text).group(1)
    switches(stack, delay_seconds=1.5, duplicates=2)   # the webhooks come late, and twice
    try:
        back = browser.post(urljoin(checkout.url, pay_action), allow_redirects=False, timeout=10)
    finally:
        switches(stack, delay_seconds=0, duplicates=1)
    assert back.status_code == 303 and back.headers["Location"].startswith(f"{stack.gateway}/p/pay/back?")
    bounce = browser.get(back.headers["Location"], timeout=10)   # public: the cross-site return has no cookie
    onward = re.search(r'url=([^"]+)"', bounce.text).group(1).replace("&amp;", "&")
    status_url = urljoin(stack.gateway, onward)
    assert state(browser, status_url) == "waiting"               # paid at the provider, not yet confirmed
    assert stack.invoice(journey_id).deposit_paid_at is None

    wait_for(lambda: state(browser, status_url) == "received", timeout=15, message="never received")
    assert "We have received your deposit of €22,500.00" in browser.get(status_url, timeout=10).text
    paid = stack.invoice(journey_id)
    # payment_intent.succeeded and checkout.session.completed, each twice: one payment, counted once
    assert (paid.paid_cents, stack.emitted(journey_id, "deposit_paid")) == (2_250_000, 1)
    assert stack.count(models.Payment, models.Payment.invoice_id == invoice.id) == 1
    assert "Paid. Thank you." in browser.get(f"{stack.gateway}/p/pay", timeout=10).text


def test_pressing_pay_again_reuses_the_open_checkout_and_another_patient_cannot_read_it(stack, journey_id):
    invoice = stack.accept(journey_id)
    browser = patient(stack, journey_id)
    first, again = press_pay(stack, browser), press_pay(stack, browser)
    assert first.headers["Location"] == again.headers["Location"]
    dutch = browser.get(f"{stack.gateway}/p/pay", params={"lang": "nl"}, timeout=10).text
    assert "Aanbetaling" in dutch and "Betaal eerst de aanbetaling" in dutch and 'lang="nl"' in dutch
    [session] = sessions(stack, invoice.id)
    assert (session.part, session.amount_cents, session.status) == ("deposit", 2_250_000, "open")
    balance = browser.post(f"{stack.gateway}/p/pay", timeout=10, data={
        "part": "balance", "csrf_token": re.search(_FIELD.format("csrf_token"), browser.get(
            f"{stack.gateway}/p/pay", timeout=10).text).group(1)})
    assert balance.status_code == 409 and "Betaal eerst de aanbetaling" in balance.text   # payments said it

    other = str(uuid.uuid4())
    stack.accept(other)
    stranger = patient(stack, other)
    peek = stranger.get(f"{stack.gateway}/p/pay/status", params={"session_id": session.id}, timeout=10)
    assert peek.status_code == 404
    newcomer = patient(stack, str(uuid.uuid4()))   # not accepted: no invoice yet
    not_yet = newcomer.get(f"{stack.gateway}/p/pay", params={"lang": "en"}, timeout=10)
    assert not_yet.status_code == 200 and "once you have been accepted" in not_yet.text


def test_a_checkout_cancelled_on_the_providers_page_charges_nothing(stack, journey_id):
    invoice = stack.accept(journey_id)
    browser = patient(stack, journey_id)
    checkout = browser.get(press_pay(stack, browser).headers["Location"], timeout=10)
    cancel_url = re.search(r'<a href="([^"]+)">Cancel and go back</a>', checkout.text).group(1)
    assert cancel_url == f"{stack.gateway}/p/pay/cancelled"
    cancelled = browser.get(cancel_url, timeout=10)
    assert cancelled.status_code == 200 and "Nothing was charged." in cancelled.text
    wait_for(lambda: requests.get(f"{stack.sandbox}/sandbox/deliveries", timeout=10).json()["idle"])
    assert stack.invoice(journey_id).paid_cents == 0
    assert stack.count(models.Payment, models.Payment.invoice_id == invoice.id) == 0
    assert stack.count(models.ProviderEvent, models.ProviderEvent.journey_id == journey_id) == 0
    assert "Pay €22,500.00" in browser.get(f"{stack.gateway}/p/pay", timeout=10).text
