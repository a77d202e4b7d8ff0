"""The embedded default: the same follow-up on SQLite (one writer at a time)."""
import base64
import uuid
from datetime import date

from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.followup import models
from services.followup.adapters.filestore import FileStore
from services.followup.service import FollowupService
from services.followup.tests import images
from services.followup.tests.integration.conftest import publish
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import service_config
from shared.testing.infra import wait_for


def test_on_sqlite_events_in_any_order_make_one_plan_and_a_file_is_stored_once(cluster, amqp_uri, tmp_path):
    url = f"sqlite:///{tmp_path}/followup.db"
    upgrade("followup", url)
    config = service_config(amqp_uri, {"followup": url})
    config["FOLLOWUP"] = dict(config["FOLLOWUP"], file_store=str(tmp_path / "files"))
    cluster.start(FollowupService, config)
    journey = str(uuid.uuid4())
    done = publish(amqp_uri, "rehabilitation", "rehab_completed", {
        "plan_id": "r-1", "completed_on": date(2025, 4, 14), "planned_end": date(2025, 4, 14)}, journey)
    publish(amqp_uri, "rehabilitation", "rehab_completed", {}, journey, event=done)
    publish(amqp_uri, "surgery", "surgery_performed", {
        "surgery_id": "s-1", "performed_on": date(2025, 3, 10), "side": "left", "implant_type": "OPRA",
        "implant_size": "M", "implant_lot": "LOT-1"}, journey)
    store = Store(url, models.kernel)
    plans = select(func.count()).select_from(models.Plan).where(models.Plan.journey_id == journey)
    wait_for(lambda: _scalar(store, plans) == 1)
    with ServiceRpcProxy("followup", config, context_data={"actor": "staff:7"}) as followup:
        content = base64.b64encode(images.png(shade=5)).decode()
        meta = {"body_part": "left_femur", "made_where": "Odense, DK"}
        first, again = (followup.upload_image(journey, content, meta) for _ in range(2))
    assert (first["duplicate"], again["duplicate"]) == (False, True)
    assert first["image"]["uploaded_by"] == "staff:7"
    assert len(FileStore(tmp_path / "files").files()) == 1
    assert _scalar(store, plans) == 1
    store.dispose()


def _scalar(store, query):
    with store.session() as session:
        return session.scalar(query)
