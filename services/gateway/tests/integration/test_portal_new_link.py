"""A new personal link asked for by email, end to end over HTTP: the gateway, enquiries and notifications on
the real broker, PostgreSQL and an SMTP sink. A link that does not stand lands on the new-link page; a
known address (in any case) is emailed a link that opens the portal, an unknown one gets the very same
answer and no mail; too many requests from one client are told to wait, too many for one address are
answered alike and dropped; no address reaches a log or an event."""
import json
import logging
import re
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.enquiries import models as enquiries_models
from services.enquiries.service import EnquiriesService
from services.enquiries.tests.integration.helpers import Client, suitability
from services.gateway import models as gateway_models
from services.gateway.models import AccessLogEntry
from services.gateway.service import GatewayService
from services.gateway.tests.portal_system import CSRF
from services.notifications import models as notifications_models
from services.notifications.service import NotificationsService
from services.notifications.tests.integration.support import Sink
from shared.db import Store
from shared.logs import RequestLogFilter
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, EventTap, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost, wait_for

SENT = "If this address is one we know, we have sent a new link to it."
PER_ADDRESS = 2   # requests for one address an hour that go on to enquiries (this system's setting)


class System:
    def __init__(self, amqp_uri, base, sink, gateway_db, notifications_db, enquiries_db):
        self.amqp_uri, self.base, self.sink = amqp_uri, base, sink
        self.gateway_db, self.notifications_db, self.enquiries_db = gateway_db, notifications_db, enquiries_db

    def patient_with_email(self) -> tuple[str, str]:
        email = f"Noor.{uuid.uuid4().hex[:8]}@Example.org"
        with Client(self.base) as public:
            answer = public.post("/api/enquiries/suitability", json=suitability(email=email))
        assert answer.status_code == 201, answer.text
        return answer.json()["journey_id"], email

    def asked_links(self, journey: str) -> int:
        with self.notifications_db.session() as session:
            return session.scalar(select(func.count()).select_from(notifications_models.Message).where(
                notifications_models.Message.journey_id == journey,
                notifications_models.Message.template == "link_renewed"))


@pytest.fixture(scope="module")
def system():
    with temp_vhost() as amqp_uri, temp_pg_database() as enquiries_url, temp_pg_database() as gateway_url, \
            temp_pg_database() as notifications_url, tempfile.TemporaryDirectory() as mail:
        for service, url in (("enquiries", enquiries_url), ("gateway", gateway_url),
                             ("notifications", notifications_url)):
            upgrade(service, url)
        config = service_config(amqp_uri, {"enquiries": enquiries_url, "gateway": gateway_url,
                                           "notifications": notifications_url})
        sink = Sink(Path(mail), free_port()).start()
        config["GATEWAY"] = dict(config["GATEWAY"], public_url=web_url(config),
                                 new_link_requests_per_address_per_hour=PER_ADDRESS)
        config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], smtp_url=f"smtp://127.0.0.1:{sink.port}",
                                       mail_dir=mail, tick_seconds=0.1, new_links_per_day=10)
        stores = [Store(url, models.kernel) for url, models in (
            (gateway_url, gateway_models), (notifications_url, notifications_models),
            (enquiries_url, enquiries_models))]
        cluster = Cluster(amqp_uri)
        try:
            cluster.start(EnquiriesService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(NotificationsService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(GatewayService, config)
            yield System(amqp_uri, web_url(config), sink, *stores)
        finally:
            cluster.stop_all()
            sink.stop()
            for store in stores:
                store.dispose()


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def _ask(browser: Client, email: str, **headers):
    token = CSRF.search(browser.get("/p/new-link").text).group(1)
    return browser.post("/p/new-link", data={"csrf_token": token, "email": email}, headers=headers)


def _new_link_mails(system, address: str) -> list:
    return [m for m in system.sink.mails_to(address) if str(m["Subject"]) == "Your new personal link"]


def test_a_known_address_is_emailed_a_new_link_and_an_unknown_one_reads_the_same_answer(system, caplog):
    caplog.set_level(logging.INFO)
    journey, email = system.patient_with_email()
    unknown = f"nobody.{uuid.uuid4().hex[:8]}@example.org"
    taps = [EventTap(system.amqp_uri, producer) for producer in ("enquiries", "notifications")]
    with Client(system.base) as browser:
        forged = browser.get("/ui/patient", params={"token": "forged.link.token"}, allow_redirects=False)
        assert forged.status_code == 303 and forged.headers["Location"] == "/p/new-link"
        offered = browser.get("/p/new-link")
        assert offered.status_code == 200 and '<label for="new-link-email">' in offered.text
        strange = _ask(browser, unknown)
        known = _ask(browser, f" {email.upper()} ")
    assert strange.status_code == known.status_code == 200
    assert SENT in known.text and _main(strange.text) == _main(known.text)
    mail = wait_for(lambda: _new_link_mails(system, email), message="the new link's mail")[0]
    text = mail.get_body(("plain",)).get_content()
    assert "You asked on our website for a new personal link" in text
    link = urlsplit(next(line for line in text.splitlines() if "/ui/from-email?token=" in line).strip())
    opened = Client(system.base).get(f"{link.path}?{link.query}", allow_redirects=False)
    assert opened.status_code == 303 and opened.headers["Location"] == "/p/journey"
    assert system.sink.mails_to(unknown) == []
    seen = json.dumps([event for tap in taps for event in tap.drain()])
    for tap in taps:
        tap.close()
    kept = RequestLogFilter()   # as config.yaml's LOGGING has it (the test's config runs without)
    logged = "\n".join(record.getMessage() for record in caplog.records if kept.filter(record))
    for secret in (email, email.lower(), unknown, "Ana Testperson", link.query):
        assert secret not in seen and secret not in logged
    with system.gateway_db.session() as session:
        refused = session.scalars(select(AccessLogEntry.status).where(
            AccessLogEntry.action == "ui_open_link", AccessLogEntry.outcome == "denied")).all()
    assert 401 in refused


def test_one_client_asking_too_often_is_told_to_wait_and_one_address_gets_only_its_share(system):
    with Client(system.base) as eager:
        answers = [_ask(eager, f"someone.{n}@example.org") for n in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert int(answers[-1].headers["Retry-After"]) > 0 and SENT not in answers[-1].text
    assert "Please try again in" in answers[-1].text
    journey, email = system.patient_with_email()
    answers = []
    for _ in range(PER_ADDRESS + 2):        # each from another client: only the address's share goes on
        with Client(system.base) as browser:
            answers.append(_ask(browser, email))
    assert {a.status_code for a in answers} == {200} and all(SENT in a.text for a in answers)
    wait_for(lambda: system.asked_links(journey) >= PER_ADDRESS)
    with ServiceRpcProxy("enquiries", {"AMQP_URI": system.amqp_uri}) as enquiries:
        enquiries.request_patient_link(email)     # one more, past the gateway's limit, answered in full
    assert system.asked_links(journey) == PER_ADDRESS + 1


def test_the_portals_expired_page_offers_the_form_which_needs_our_token_and_a_real_address(system):
    with Client(system.base) as browser:
        expired = browser.get("/p/journey")
        assert expired.status_code == 401 and 'action="/p/new-link"' in expired.text
        token = CSRF.search(expired.text).group(1)
        assert browser.post("/p/new-link", data={"email": "a@example.org"}).status_code == 403
        crossed = browser.post("/p/new-link", data={"csrf_token": token, "email": "a@example.org"},
                               headers={"Origin": "https://elsewhere.example"})
        assert crossed.status_code == 403
        wrong = browser.post("/p/new-link", data={"csrf_token": token, "email": "not an address"})
        assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text
        assert re.search(r'id="new-link-email-error">[^<]+example\.org', wrong.text)
        dutch = browser.post("/p/new-link?lang=nl", data={"csrf_token": token, "email": "b@example.org"})
        assert dutch.status_code == 200 and '<html lang="nl">' in dutch.text and SENT not in dutch.text
