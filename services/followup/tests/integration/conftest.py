"""One running follow-up service and gateway, on the real broker and PostgreSQL, for this package."""
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest
import requests
from kombu import Connection, Exchange
from sqlalchemy import func, select

from services.followup import models
from services.followup.adapters.filestore import FileStore
from services.followup.adapters.imagestore import ImageStore, image_store
from services.followup.service import FollowupService
from services.followup.settings import parse
from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.service import GatewayService
from shared import deadletters
from shared.clock import CLOCK_FILE, set_simulated
from shared.consumers import rpc
from shared.db import Store
from shared.events import new_event, to_wire
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, EventTap, service_config, web_url
from shared.testing.infra import free_port, temp_pg_database, temp_vhost, wait_for
from shared.testing.orthanc import orthanc  # noqa: F401  (the session's Orthanc, for pacs_system)

PASSWORD = "a long enough test password"
MAX_UPLOAD = 64 * 1024


def publish(amqp_uri: str, producer: str, event_type: str, payload: dict, journey_id: str, event=None):
    """Publish an input event as its producer would (the same event again when given)."""
    event = event or new_event(producer, event_type, payload, journey_id)
    exchange = Exchange(f"{producer}.events", type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(json.dumps(to_wire(event)).encode(), exchange=exchange,
                                routing_key=event_type, content_type="application/json",
                                content_encoding="utf-8", delivery_mode=2, declare=[exchange])
    return event


class KnownJourneys:
    """Stands in for the journey service, which the gateway asks whether a journey exists
    before it issues a patient link: every journey of these tests does."""
    name = "journey"

    @rpc
    def timeline(self, journey_id):
        return {"journey_id": journey_id, "entries": []}


@dataclass
class System:
    amqp_uri: str
    config: dict
    base: str
    db: Store
    gateway_db: Store
    files: FileStore
    store: ImageStore | None = None
    tokens: dict = field(default_factory=dict)

    def publish(self, producer: str, event_type: str, payload: dict, journey_id: str, event=None):
        return publish(self.amqp_uri, producer, event_type, payload, journey_id, event)

    def tap(self) -> EventTap:
        return EventTap(self.amqp_uri, "followup")

    def login(self, role: str) -> dict:
        """A staff token, signed in once per role (sign-in is rate limited)."""
        if role not in self.tokens:
            response = requests.post(f"{self.base}/api/auth/token",
                                     json={"username": role, "password": PASSWORD})
            assert response.status_code == 200, response.text
            self.tokens[role] = {"Authorization": "Bearer " + response.json()["access_token"]}
        return self.tokens[role]

    def patient_link(self, journey_id: str) -> dict:
        response = requests.post(f"{self.base}/api/journeys/{journey_id}/patient-link", json={},
                                 headers=self.login("specialist"))
        assert response.status_code == 201, response.text
        return {"Authorization": "Bearer " + response.json()["token"]}

    def count(self, model, **where) -> int:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        with self.db.session() as session:
            return session.scalar(query)

    def home_patient(self, country: str = "NO", surgery: date = date(2025, 3, 10),
                     home: date = date(2025, 4, 14)) -> str:
        """A journey accepted, operated on and home again: its follow-up plan is made."""
        journey = str(uuid.uuid4())
        self.publish("enquiries", "patient_accepted", {
            "enquiry_id": f"ENQ-{journey[:8]}", "amputation_level": "transfemoral", "amputation_side": "left",
            "body_weight_kg": "80.0", "preferred_language": "no", "country": country}, journey)
        self.publish("surgery", "surgery_performed", {
            "surgery_id": str(uuid.uuid4()), "performed_on": surgery, "side": "left",
            "implant_type": "OPRA", "implant_size": "M", "implant_lot": "LOT-1"}, journey)
        self.publish("rehabilitation", "rehab_completed", {
            "plan_id": str(uuid.uuid4()), "completed_on": home, "planned_end": home}, journey)
        try:
            wait_for(lambda: self.count(models.Plan, journey_id=journey) == 1)
        except AssertionError:
            letters = deadletters.list_letters(self.db)
            raise AssertionError(f"no follow-up plan; dead letters: {letters}") from None
        return journey


@contextmanager
def running_system(tmp_path_factory, pacs=None):
    """Follow-up and the gateway on a vhost and databases of their own; with `pacs` (an Orthanc), DICOM goes
    to that PACS over DICOMweb (photos and PDFs to the file store, as without)."""
    with temp_vhost() as amqp_uri, temp_pg_database() as url, temp_pg_database() as gateway_url:
        upgrade("followup", url)
        upgrade("gateway", gateway_url)
        gateway_db, db = Store(gateway_url, gateway_models.kernel), Store(url, models.kernel)
        with gateway_db.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        store_dir = tmp_path_factory.mktemp("files")
        config = service_config(amqp_uri, {"followup": url, "gateway": gateway_url})
        config["TIMERS"] = {"batch_size": 100, "poll_interval_seconds": 0.2}  # deadlines fire promptly
        config["FOLLOWUP"] = dict(config["FOLLOWUP"], file_store=str(store_dir), max_upload_bytes=MAX_UPLOAD)
        if pacs is not None:
            config["FOLLOWUP"].update(orthanc_url=pacs.dicomweb, orthanc_username=pacs.username,
                                      orthanc_password=pacs.password)
        cluster = Cluster(amqp_uri)
        try:
            cluster.start(FollowupService, dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}"))
            cluster.start(GatewayService, config)
            cluster.start(KnownJourneys, config)
            yield System(amqp_uri, config, web_url(config), db, gateway_db, FileStore(store_dir),
                         store=image_store(parse(config)))
        finally:
            cluster.stop_all()
            db.dispose()
            gateway_db.dispose()


@pytest.fixture
def clock_file(request, tmp_path, monkeypatch):
    """The clinic's simulated clock, on the test module's TODAY (the services run in this process)."""
    path = tmp_path / "clock"
    set_simulated(path, request.module.TODAY)
    monkeypatch.setenv(CLOCK_FILE, str(path))
    return path


@pytest.fixture(scope="package")
def system(tmp_path_factory):
    with running_system(tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="package")
def pacs_system(tmp_path_factory, orthanc, system):  # noqa: F811  (the fixture imported above)
    """The same system with Orthanc as its image archive (one Orthanc for the whole run).

    It asks for `system` too: a system started within a test that does not use the other one
    leaves the other without event consumers (nameko's fast_teardown stops consumers made then)."""
    with running_system(tmp_path_factory, orthanc) as running:
        yield running
