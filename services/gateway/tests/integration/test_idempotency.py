"""Idempotency keys, command ids and timeouts, through the gateway with the rehabilitation service
behind it (real RabbitMQ and PostgreSQL): a write sent again with its key has its effect once."""
import time
import uuid

import eventlet
import pytest
import requests
from sqlalchemy import func, insert, select

from services.gateway import models as gateway_models
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.handlers.idempotency import body_hash
from services.gateway.service import GatewayService
from services.rehabilitation import models
from services.rehabilitation.service import RehabilitationService
from services.rehabilitation.tests.integration.support import accepted, discharged, publish
from services.rehabilitation.tests.integration.test_sessions_api import session
from shared.clock import real_now
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost, wait_for

PASSWORD = "a long enough test password"
RPC_TIMEOUT = 3


@pytest.fixture(scope="module")
def stack():
    """The gateway (a short RPC timeout, repeats wait for a running first) and rehabilitation."""
    with temp_vhost() as broker, temp_pg_database() as url, temp_pg_database() as gateway_url:
        upgrade("rehabilitation", url)
        upgrade("gateway", gateway_url)
        gateway_store = Store(gateway_url, gateway_models.kernel)
        with gateway_store.session() as db:
            for role in STAFF_ROLES:
                create_user(db, role, PASSWORD, role)
        config = service_config(broker, {"rehabilitation": url, "gateway": gateway_url},
                                GATEWAY={"rpc_timeout_seconds": RPC_TIMEOUT},
                                IDEMPOTENCY={"keep_hours": 24, "wait_while_running_seconds": 5,
                                             "abandoned_after_seconds": 120})
        cluster = Cluster(broker)
        cluster.start(GatewayService, config)
        rehab_config = dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0")
        cluster.start(RehabilitationService, rehab_config)
        store = Store(url, models.kernel)
        try:
            yield {"base": web_url(config), "broker": broker, "store": store, "gateway": gateway_store,
                   "cluster": cluster, "rehab_config": rehab_config}
        finally:
            cluster.stop_all()
            store.dispose()
            gateway_store.dispose()


@pytest.fixture(scope="module")
def headers(stack):
    response = requests.post(f"{stack['base']}/api/auth/token",
                             json={"username": "physiotherapist", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": "Bearer " + response.json()["access_token"]}


@pytest.fixture
def journey(stack, headers):
    """A patient discharged to the hotel, whose rehabilitation plan is active."""
    journey = str(uuid.uuid4())
    publish(stack["broker"], accepted(journey))
    publish(stack["broker"], discharged(journey))
    wait_for(lambda: requests.get(sessions_url(stack, journey).rsplit("/", 1)[0],
                                  headers=headers).json().get("status") == "active")
    return journey


def sessions_url(stack, journey):
    return f"{stack['base']}/api/journeys/{journey}/rehabilitation/sessions"


def sessions_recorded(stack, journey) -> int:
    with stack["store"].session() as db:
        return db.scalar(select(func.count()).select_from(models.PhysioSession)
                         .where(models.PhysioSession.journey_id == journey))


def post(stack, journey, body, headers, key=None):
    sent = dict(headers, **({"Idempotency-Key": key} if key else {}))
    return requests.post(sessions_url(stack, journey), json=body, headers=sent, timeout=60)


def test_the_same_session_sent_twenty_times_at_once_with_one_key_is_recorded_once_with_twenty_equal_answers(
        stack, headers, journey):
    key = str(uuid.uuid4())
    pool = eventlet.GreenPool(20)
    answers = list(pool.imap(lambda _: post(stack, journey, session(1, "20"), headers, key), range(20)))
    assert {(a.status_code, a.text) for a in answers} == {(201, answers[0].text)}
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == [""] + ["true"] * 19
    assert sessions_recorded(stack, journey) == 1
    assert post(stack, journey, session(1, "20"), headers).status_code == 201   # no key: a second session
    assert sessions_recorded(stack, journey) == 2


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(stack, headers, journey):
    key = str(uuid.uuid4())
    assert post(stack, journey, session(1, "20"), headers, key).status_code == 201
    other = post(stack, journey, session(2, "25"), headers, key)
    assert other.status_code == 422
    assert "another request" in other.json()["message"]
    assert sessions_recorded(stack, journey) == 1


def test_a_refusal_by_the_service_is_kept_and_replayed_like_a_success(stack, headers, journey):
    key, bad = str(uuid.uuid4()), session(1, "20", pain=11)
    first = post(stack, journey, bad, headers, key)
    assert first.status_code == 422 and "pain score" in first.json()["message"]
    again = post(stack, journey, bad, headers, key)
    assert (again.status_code, again.text, again.headers["Idempotent-Replayed"]) == (422, first.text, "true")
    assert sessions_recorded(stack, journey) == 0


@pytest.mark.parametrize("key", ["", "x" * 129, "with space", "naïve", "semi;colon"])
def test_a_key_that_is_not_plain_and_bounded_is_a_400(stack, headers, journey, key):
    answer = requests.post(sessions_url(stack, journey), json=session(1, "20"),
                           headers=dict(headers, **{"Idempotency-Key": key.encode("utf-8")}))
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["message"]
    assert sessions_recorded(stack, journey) == 0


def test_a_repeat_while_the_first_request_still_runs_gets_a_409_after_its_wait(stack, headers, journey):
    key, body = str(uuid.uuid4()), session(1, "20")
    path = f"/api/journeys/{journey}/rehabilitation/sessions"
    sent = requests.Request("POST", sessions_url(stack, journey), json=body).prepare().body
    subject = requests.get(f"{stack['base']}/api/me", headers=headers).json()["subject"]
    with stack["gateway"].session() as db:   # a first request under this key that has not finished
        db.execute(insert(gateway_models.IdempotentRequest).values(
            key=key, principal=f"staff:{subject}", method="POST", path=path,
            body_hash=body_hash(stack["rehab_config"]["AUTH"]["token_secret"], b"", sent),
            state="running", created_at=real_now()))
    answer = requests.post(sessions_url(stack, journey), data=sent, timeout=60, headers=dict(
        headers, **{"Idempotency-Key": key, "Content-Type": "application/json"}))
    assert answer.status_code == 409 and "still running" in answer.json()["message"]
    assert sessions_recorded(stack, journey) == 0


def test_a_stopped_service_gives_a_503_with_retry_after_in_its_timeout_and_the_retry_has_one_effect(
        stack, headers, journey):
    cluster = stack["cluster"]
    [rehab] = [c for c in cluster.containers if c.service_name == "rehabilitation"]
    cluster.stop(rehab)
    key = str(uuid.uuid4())
    try:
        started = time.monotonic()
        answer = post(stack, journey, session(1, "20"), headers, key)
        waited = time.monotonic() - started
    finally:
        cluster.start(RehabilitationService, stack["rehab_config"])
    assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
    assert "did not answer" in answer.json()["message"]
    assert RPC_TIMEOUT <= waited < RPC_TIMEOUT + 5   # it waited for the service, and no longer
    # The 5xx was not kept: the client retries with its key. The request that waited in the
    # service's queue is carried out when the service returns; the retry has no second effect.
    retried = wait_for(lambda: (found := post(stack, journey, session(1, "20"), headers, key))
                       .status_code == 201 and found, timeout=30)
    wait_for(lambda: sessions_recorded(stack, journey) == 1)
    assert post(stack, journey, session(1, "20"), headers, key).text == retried.text
    eventlet.sleep(0.5)   # the queued first delivery has surely run by now
    assert sessions_recorded(stack, journey) == 1
