"""The operations page (/ui/admin/operations) on a running system: the gateway, the journey and
notifications, one of each for the module, on the real broker and PostgreSQL; every other service is not
running, so the page must name them as not answering. A dead letter is made as it happens: a message no
consumer can read, parked by the journey and by notifications at once; an email every retry failed to send
is the row notifications parks. Each test makes its own."""
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import eventlet
import pytest
from kombu import Connection, Exchange
from sqlalchemy import func, select

from services.enquiries.tests.integration.helpers import Client
from services.gateway import models as gateway_models
from services.gateway.domain.roles import ADMIN, STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.models import AccessLogEntry
from services.gateway.service import GatewayService
from services.gateway.tests.browser import CHROMIUM
from services.journey import models as journey_models
from services.journey.service import JourneyService
from services.notifications import models as notifications_models
from services.notifications.models import PARKED, PENDING, Message
from services.notifications.service import NotificationsService
from shared import deadletters
from shared.clock import ClinicClock
from shared.config import ROOT
from shared.contracts.api.operations import SERVICES
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost, wait_for

PASSWORD = "a long enough test password"
PAGE = "/ui/admin/operations"
FIELDS = re.compile(r'name="(csrf_token|idempotency_key)" value="([^"]+)"')
RUNNING = {"journey": (JourneyService, journey_models), "notifications": (NotificationsService,
                                                                         notifications_models)}
SCREENSHOTS = ROOT / "var" / "screenshots" / "staff"


@dataclass
class System:
    base: str
    config: dict
    stores: dict   # service -> Store
    tokens: dict = field(default_factory=dict)

    def token(self, role: str = ADMIN) -> dict:
        if role not in self.tokens:
            answer = Client(self.base).post("/api/auth/token", json={"username": role, "password": PASSWORD})
            assert answer.status_code == 200, answer.text
            self.tokens[role] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        return self.tokens[role]

    def browser(self, role: str) -> Client:
        """A browser signed in through the sign-in page, from a loopback address of its own (the sign-in
        allowance counts per address)."""
        browser = Client(self.base)
        form = dict(FIELDS.findall(browser.get("/ui/login").text))
        answer = browser.post("/ui/login", data={**form, "username": role, "password": PASSWORD,
                                                 "next": PAGE}, allow_redirects=False)
        assert answer.status_code == 303, answer.text
        return browser

    def letter(self, service: str, letter_id: int) -> dict:
        answer = Client(self.base).get(f"/api/dead-letters/{service}/{letter_id}", headers=self.token())
        assert answer.status_code == 200, answer.text
        return answer.json()

    def last_logged(self) -> int:
        with self.stores["gateway"].session() as session:
            return session.scalar(select(func.max(AccessLogEntry.id))) or 0

    def logged(self, *where) -> list[AccessLogEntry]:
        with self.stores["gateway"].session() as session:
            rows = list(session.scalars(select(AccessLogEntry).where(*where).order_by(AccessLogEntry.id)))
            session.expunge_all()
            return rows


@pytest.fixture(scope="module")
def system():
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        urls = {name: stack.enter_context(temp_pg_database()) for name in ("gateway", *RUNNING)}
        for name, url in urls.items():
            upgrade(name, url)
        stores = {"gateway": Store(urls["gateway"], gateway_models.kernel),
                  **{name: Store(urls[name], models.kernel) for name, (_s, models) in RUNNING.items()}}
        for store in stores.values():
            stack.callback(store.dispose)
        with stores["gateway"].session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, urls)
        # The sender never runs in this module: an email sent again stays waiting, to be seen so.
        config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], tick_seconds=3600,
                                       mail_dir=stack.enter_context(tempfile.TemporaryDirectory()))
        cluster = Cluster(amqp_uri)
        stack.callback(cluster.stop_all)
        cluster.start(GatewayService, config)   # first: it takes the free port before anything else can
        for service, _models in RUNNING.values():
            cluster.start(service, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
        yield System(web_url(config), config, stores)


def _unreadable(system: System) -> dict:
    """A patient_accepted no consumer can read, with a note in it: each of the journey and notifications
    parks it at once. {service: its letter as stored, body included}."""
    note = f"a private note {uuid.uuid4().hex}"
    exchange = Exchange("enquiries.events", type="topic", durable=True)
    with Connection(system.config["AMQP_URI"]) as conn:
        conn.Producer().publish(f'{{not json, "note": "{note}"'.encode(), exchange=exchange,
                                routing_key="patient_accepted", content_type="application/json",
                                declare=[exchange])

    def parked(service: str):
        return next((letter for letter in deadletters.list_letters(system.stores[service])
                     if note in letter["body"]), None)
    return {service: wait_for(lambda s=service: parked(s), message=f"{service} parks the message")
            for service in RUNNING} | {"note": note}


def _parked_email(system: System) -> str:
    """An email the relay kept refusing, as the sender leaves it: parked with its error (no address)."""
    message_id, now = str(uuid.uuid4()), ClinicClock().now()
    with system.stores["notifications"].session() as session:
        session.add(Message(id=message_id, journey_id=str(uuid.uuid4()), template="deposit_overdue",
                            event_id=str(uuid.uuid4()), event_type="deposit_overdue", facts={}, status=PARKED,
                            attempts=3, next_attempt_at=now, created_at=now,
                            last_error="SMTPConnectError: the relay refused the connection"))
    return message_id


def _email(system: System, message_id: str) -> Message:
    with system.stores["notifications"].session() as session:
        found = session.get(Message, message_id)
        session.expunge_all()
        return found


def _form(browser: Client) -> dict:
    fields = dict(FIELDS.findall(browser.get(PAGE).text))
    assert set(fields) == {"csrf_token", "idempotency_key"}
    return fields


def test_the_administrator_sees_each_letter_with_its_error_and_no_payload_and_who_did_not_answer(system):
    parked = _unreadable(system)
    admin, before = system.browser(ADMIN), system.last_logged()
    page = admin.get(PAGE)
    assert page.status_code == 200, page.text
    for service in RUNNING:
        letter = parked[service]
        assert f'id="letter-{service}-{letter["id"]}"' in page.text
        assert letter["consumer"] in page.text and letter["consumer"].startswith(f"{service}.")
        assert deadletters.envelope(letter)["envelope"] is None   # not readable: no envelope to show
    assert "undecodable message" in page.text and "no envelope" in page.text
    assert parked["note"] not in page.text   # the letter's body is stored, never shown
    away = re.search(r'id="letters-away"[^>]*>([^<]*)<', page.text).group(1)
    assert [name for name in SERVICES if name in away] == [
        name for name in SERVICES if name not in ("gateway", *RUNNING)]
    assert "No letters parked in gateway" in page.text
    assert '<a href="/ui/admin/operations" id="operations">Operations</a>' in page.text
    [viewed] = system.logged(AccessLogEntry.id > before, AccessLogEntry.action == "ui_operations",
                             AccessLogEntry.journey_id.is_(None))
    assert (viewed.role, viewed.outcome, viewed.path) == (ADMIN, "allowed", PAGE)
    assert re.fullmatch(r"\d+ dead letters, \d+ emails not sent", viewed.detail)


def test_replay_from_the_form_hands_the_letter_back_to_its_consumer_once_however_often_it_is_clicked(system):
    old = _unreadable(system)["journey"]
    admin, before = system.browser(ADMIN), system.last_logged()
    action = f"{PAGE}/dead-letters/journey/{old['id']}/replay"
    form = _form(admin)
    clicks = [eventlet.spawn(admin.post, action, data=form, allow_redirects=False) for _ in range(2)]
    answers = [click.wait() for click in clicks]
    assert {(a.status_code, a.headers["Location"]) for a in answers} == {
        (303, f"{PAGE}?replayed=journey/{old['id']}")}
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert system.letter("journey", old["id"])["status"] == "replayed"

    def parked_again():   # still unreadable: its consumer read it again and parked it anew
        return [letter for letter in deadletters.list_letters(system.stores["journey"])
                if letter["id"] > old["id"] and letter["body"] == old["body"]]
    again = wait_for(parked_again, message="the journey's consumer reads the replayed message")
    assert [letter["consumer"] for letter in again] == [old["consumer"]]   # one replay, not two
    page = admin.get(f"{answers[0].headers['Location']}").text
    assert f"Dead letter {old['id']} of journey: handed back to its consumer." in page
    assert f'id="letter-journey-{old["id"]}"' not in page and f'id="letter-journey-{again[0]["id"]}"' in page
    assert [e.outcome for e in system.logged(AccessLogEntry.id > before,
                                             AccessLogEntry.action == "ui_replay_dead_letter")] == ["allowed"]


def test_discard_from_the_form_removes_the_letter_and_it_cannot_be_replayed_after(system):
    letter = _unreadable(system)["notifications"]
    admin = system.browser(ADMIN)
    where = f"{PAGE}/dead-letters/notifications/{letter['id']}"
    sent = admin.post(f"{where}/discard", data=_form(admin), allow_redirects=False)
    assert (sent.status_code, sent.headers["Location"]) == (
        303, f"{PAGE}?discarded=notifications/{letter['id']}")
    assert system.letter("notifications", letter["id"])["status"] == "discarded"
    page = admin.get(f"{sent.headers['Location']}").text
    assert f"Dead letter {letter['id']} of notifications: discarded." in page
    assert f'id="letter-notifications-{letter["id"]}"' not in page
    late = admin.post(f"{where}/replay", data=_form(admin))   # a page left open: a stale button
    assert late.status_code == 409 and "is discarded, not parked" in late.text
    assert system.letter("notifications", letter["id"])["status"] == "discarded"


def test_an_email_that_could_not_be_sent_is_listed_with_its_error_and_sent_again_from_its_form(system):
    message_id = _parked_email(system)
    admin, before = system.browser(ADMIN), system.last_logged()
    page = admin.get(PAGE).text
    row = re.search(rf'<tr class="email" id="mail-{message_id}".*?</tr>', page, re.S).group(0)
    assert "deposit overdue" in row and "the relay refused the connection" in row and ">3<" in row
    retry = f"{PAGE}/emails/{message_id}/retry"
    sent = admin.post(retry, data=_form(admin), allow_redirects=False)
    assert (sent.status_code, sent.headers["Location"]) == (303, f"{PAGE}?retried={message_id}")
    email = _email(system, message_id)
    assert (email.status, email.attempts) == (PENDING, 0)
    after = admin.get(f"{sent.headers['Location']}").text
    assert f'id="mail-{message_id}"' not in after and "to be sent again now" in after
    again = admin.post(retry, data=_form(admin))
    assert again.status_code == 200
    assert f"The email {message_id[:8]} was not waiting to be sent again" in again.text
    tried = system.logged(AccessLogEntry.id > before, AccessLogEntry.action == "ui_retry_email")
    assert [(e.role, e.outcome) for e in tried] == [(ADMIN, "allowed")] * 2   # each click of a fresh form


def test_my_work_links_the_administrators_letters_and_emails_to_their_rows_on_the_page(system):
    letter, message_id = _unreadable(system)["journey"], _parked_email(system)
    admin, headers = system.browser(ADMIN), system.token()

    def linked():
        sections = {s["kind"]: s for s in Client(system.base).get("/api/work", headers=headers)
                    .json()["sections"]}
        links = {i["link"] for kind in ("dead_letter", "mail_parked") for i in sections[kind]["items"]}
        wanted = {f"{PAGE}#letter-journey-{letter['id']}", f"{PAGE}#mail-{message_id}"}
        return links if wanted <= links else None
    links = wait_for(linked, message="My work lists the letter and the email")
    page = admin.get(PAGE).text
    for link in links:
        assert f'id="{link.split("#")[1]}"' in page, link
    work = admin.get("/ui/work").text
    for link in links:
        assert f'href="{link}"' in work, link


@pytest.mark.parametrize("role", [r for r in STAFF_ROLES if r != ADMIN])
def test_every_other_role_is_refused_the_page_and_its_forms_and_each_refusal_is_logged(system, role):
    browser = system.browser(role)
    form = dict(FIELDS.findall(browser.get("/ui/account/password").text))
    assert "/ui/admin/operations" not in browser.get("/ui/work").text
    assert browser.get(PAGE).status_code == 403
    for action in ("dead-letters/journey/1/replay", "dead-letters/journey/1/discard",
                   f"emails/{uuid.uuid4()}/retry"):
        assert browser.post(f"{PAGE}/{action}", data=form).status_code == 403, action
    denied = system.logged(AccessLogEntry.role == role, AccessLogEntry.outcome == "denied")
    assert {e.action for e in denied} >= {"ui_operations", "ui_replay_dead_letter", "ui_discard_dead_letter",
                                          "ui_retry_email"}


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install -y chromium)")
def test_the_operations_page_reads_at_desktop_and_phone_width(system):
    _unreadable(system)
    _parked_email(system)
    run = subprocess.run([sys.executable, "-m", "services.gateway.tests.operations_browser", system.base,
                          ADMIN, PASSWORD, str(SCREENSHOTS)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    for size, seen in json.loads(run.stdout).items():
        assert seen["overflow"] <= 0 and seen["unnamed"] == 0, (size, seen)
        assert seen["heading"] == "Operations" and "Operations" in seen["nav"], (size, seen)
        assert seen["letters"] >= 2 and seen["emails"] >= 1, (size, seen)
        assert {"Replay", "Discard", "Send again"} <= set(seen["buttons"]), (size, seen)
    for name in ("admin-operations.png", "admin-operations-phone.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
