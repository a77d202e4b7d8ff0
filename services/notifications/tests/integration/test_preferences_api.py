"""A patient turns check-up reminders off through the API with their own link; staff who speak with them
may too; nobody else may."""
import uuid

import pytest
import requests

from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from services.notifications import models
from services.notifications.service import NotificationsService
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


@pytest.fixture(scope="module")
def api():
    with temp_vhost() as amqp_uri, temp_pg_database() as url, temp_pg_database() as gateway_url:
        upgrade("notifications", url)
        upgrade("gateway", gateway_url)
        gateway_db = Store(gateway_url, gateway_models.kernel)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, {"notifications": url, "gateway": gateway_url})
        cluster = Cluster(amqp_uri)
        try:
            cluster.start(NotificationsService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(KnownJourneys, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(GatewayService, config)
            yield web_url(config)
        finally:
            cluster.stop_all()
            gateway_db.dispose()
            Store(url, models.kernel).dispose()


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
    path = f"{api}/api/journeys/{journey}/reminder-preferences"
    patient = _patient(api, journey)
    assert requests.get(path, headers=patient).json()["checkup_reminders"] is True
    off = requests.put(path, json={"checkup_reminders": False}, headers=patient)
    assert off.status_code == 200, off.text
    assert off.json()["checkup_reminders"] is False and off.json()["updated_by"] == f"patient:{journey}"
    seen = requests.get(path, headers=_staff(api, "specialist")).json()
    assert seen["checkup_reminders"] is False and seen["updated_at"].endswith("+00:00")


def test_no_other_patient_or_role_may_change_them_and_a_bad_body_is_a_sentence(api):
    journey, other = str(uuid.uuid4()), str(uuid.uuid4())
    path = f"{api}/api/journeys/{journey}/reminder-preferences"
    someone_else = _patient(api, other)
    assert requests.put(path, json={"checkup_reminders": False}, headers=someone_else).status_code == 403
    assert requests.get(path, headers=_staff(api, "physiotherapist")).status_code == 403
    bad = requests.put(path, json={"checkup_reminders": "no"}, headers=_staff(api, "intake_coordinator"))
    assert bad.status_code == 422 and "checkup_reminders" in bad.text
