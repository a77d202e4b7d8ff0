"""A patient turns check-up reminders off through the API with their own link; staff who speak with them
may too; nobody else may. An administrator of a local run reads what was sent at /ui/mail."""
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import select

from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.gateway.tests.pages import signed_in
from services.notifications import models
from services.notifications.adapters.composer import compose
from services.notifications.adapters.mailbox import file_name
from services.notifications.adapters.rendering import render
from services.notifications.service import NotificationsService
from services.notifications.settings import Clinic
from services.notifications.tests.samples import context
from shared.consumers import rpc
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost

PASSWORD = "a long enough test password"


class KnownJourneys:
    """The journey service, asked whether a journey exists before a patient link is issued."""
    name = "journey"

    @rpc
    def timeline(self, journey_id):
        return {"journey_id": journey_id, "entries": []}


@dataclass
class Api:
    base: str
    db: Store
    config: dict


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory):
    """A sink's folder holding one message, as the sink wrote it."""
    folder = tmp_path_factory.mktemp("mail")
    clinic = Clinic()
    mail = compose("page-1", render("surgery_scheduled", "de", context("surgery_scheduled"), clinic),
                   "anna@example.org", "Anna", clinic, datetime.now(UTC), None)
    (folder / file_name(mail["Message-ID"])).write_bytes(mail.as_bytes())
    return folder


@pytest.fixture(scope="module")
def api(mail_dir):
    with temp_vhost() as amqp_uri, temp_pg_database() as url, temp_pg_database() as gateway_url:
        upgrade("notifications", url)
        upgrade("gateway", gateway_url)
        gateway_db = Store(gateway_url, gateway_models.kernel)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, {"notifications": url, "gateway": gateway_url})
        config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], mail_dir=str(mail_dir))
        config["GATEWAY"] = dict(config["GATEWAY"], patient_link_days=0)   # emailed links expire at once
        cluster, db = Cluster(amqp_uri), Store(url, models.kernel)
        try:
            cluster.start(NotificationsService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(KnownJourneys, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(GatewayService, config)
            yield Api(web_url(config), db, config)
        finally:
            cluster.stop_all()
            gateway_db.dispose()
            db.dispose()


def _staff(base: str, role: str) -> dict:
    token = requests.post(f"{base}/api/auth/token", json={"username": role, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def _patient(base: str, journey: str) -> dict:
    link = requests.post(f"{base}/api/journeys/{journey}/patient-link", json={},
                         headers=_staff(base, "intake_coordinator"))
    assert link.status_code == 201, link.text
    return {"Authorization": f"Bearer {link.json()['token']}"}


def test_a_patient_turns_checkup_reminders_off_with_their_own_link_and_staff_see_it(api):
    journey = str(uuid.uuid4())
    path = f"{api.base}/api/journeys/{journey}/reminder-preferences"
    patient = _patient(api.base, journey)
    assert requests.get(path, headers=patient).json()["checkup_reminders"] is True
    off = requests.put(path, json={"checkup_reminders": False}, headers=patient)
    assert off.status_code == 200, off.text
    assert off.json()["checkup_reminders"] is False and off.json()["updated_by"] == f"patient:{journey}"
    seen = requests.get(path, headers=_staff(api.base, "specialist")).json()
    assert seen["checkup_reminders"] is False and seen["updated_at"].endswith("+00:00")


def test_no_other_patient_or_role_may_change_them_and_a_bad_body_is_a_sentence(api):
    journey, other = str(uuid.uuid4()), str(uuid.uuid4())
    path = f"{api.base}/api/journeys/{journey}/reminder-preferences"
    someone_else = _patient(api.base, other)
    assert requests.put(path, json={"checkup_reminders": False}, headers=someone_else).status_code == 403
    assert requests.get(path, headers=_staff(api.base, "physiotherapist")).status_code == 403
    bad = requests.put(path, json={"checkup_reminders": "no"}, headers=_staff(api.base, "intake_coordinator"))
    assert bad.status_code == 422 and "checkup_reminders" in bad.text


def test_an_administrator_reads_each_message_sent_as_the_patient_sees_it_and_others_may_not(api, mail_dir):
    admin = signed_in(api.base, "administrator")
    listed = admin.get(f"{api.base}/ui/mail")
    assert listed.status_code == 200 and "Ihr Operationstermin" in listed.text
    name = next(mail_dir.glob("*.eml")).stem
    shown = admin.get(f"{api.base}/ui/mail/{name}")
    assert shown.status_code == 200 and "Ihre Operation ist für" in shown.text
    as_sent = admin.get(f"{api.base}/ui/mail/{name}/html")
    assert as_sent.status_code == 200 and '<html lang="de">' in as_sent.text
    assert "default-src 'none'" in as_sent.headers["Content-Security-Policy"]
    assert signed_in(api.base, "specialist").get(f"{api.base}/ui/mail").status_code == 403


def test_an_expired_emailed_link_tells_the_patient_and_emails_a_new_one_once_a_day(api):
    journey = str(uuid.uuid4())
    with ServiceRpcProxy("gateway", api.config) as gateway:
        expired = gateway.issue_patient_link(journey, {"purpose": "portal"})["url"]
    path = expired.replace("http://127.0.0.1:8000", "")
    for _ in range(2):
        page = requests.get(f"{api.base}{path}", allow_redirects=False)
        assert page.status_code == 200 and "This link has expired" in page.text and "token" not in page.text
    with api.db.session() as session:
        renewals = session.scalars(select(models.Message).where(models.Message.journey_id == journey)).all()
    assert [(m.template, m.facts["link"]) for m in renewals] == [("link_renewed", "portal")]
    forged = requests.get(f"{api.base}/ui/from-email?token=not-a-token", allow_redirects=False)
    assert forged.status_code == 303 and forged.headers["Location"] == "/p/new-link"   # as /ui/patient


def test_a_patient_who_asks_on_the_new_link_page_gets_at_most_three_links_a_day_in_their_words(api):
    journey = str(uuid.uuid4())
    with ServiceRpcProxy("gateway", api.config) as gateway:
        expired = gateway.issue_patient_link(journey, {"purpose": "portal"})["url"]
    requests.get(f"{api.base}{expired.replace('http://127.0.0.1:8000', '')}")    # today's first renewal
    with ServiceRpcProxy("notifications", api.config) as notifications:
        recorded = [notifications.send_new_link(journey)["recorded"] for _ in range(4)]
    assert recorded == [True, True, False, False]          # the expired link's renewal counts in the three
    with api.db.session() as session:
        sent = session.scalars(select(models.Message).where(models.Message.journey_id == journey)).all()
    assert sorted(bool(m.facts.get("asked")) for m in sent) == [False, True, True]
    assert {m.template for m in sent} == {"link_renewed"}
    asked = render("link_renewed", "nl", dict(context("link_renewed"), facts={"asked": True}), Clinic())
    assert "U heeft op onze website om een nieuwe persoonlijke link gevraagd" in asked.text
