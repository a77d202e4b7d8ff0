"""The public rate limits hold across gateway instances: two gateways on one database (or one Redis) grant
one allowance per client between them, and X-Forwarded-For moves the count to another client only when a
trusted proxy sends it. The sign-in route is the limited one used (10 a minute per address; an unknown
account is a 401 within the allowance, 429 beyond it), as it needs no other service."""
import random
import shutil
import socket
import subprocess
import time

import pytest
import requests
from requests.adapters import HTTPAdapter

from services.gateway.service import GatewayService
from shared.migrations import upgrade
from shared.testing.cluster import service_config, web_url
from shared.testing.infra import free_port

LIMIT = 10   # LOGIN_LIMIT's requests per minute


def _loopback() -> str:
    """A loopback address of this test run's own: the counts are per address and outlive a test."""
    return f"127.{random.randrange(1, 250)}.{random.randrange(1, 250)}.{random.randrange(2, 250)}"


class _From(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_at(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _From(address))
    return session


def sign_in(session, base: str, forwarded: str | None = None) -> int:
    """An attempt on an unknown account of its own each time: the per-address allowance is counted, not
    the account's growing wait."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    username = f"nobody{random.randrange(10 ** 9)}"
    return session.post(f"{base}/api/auth/token", json={"username": username, "password": "guess"},
                        headers=headers, timeout=30).status_code


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis server of this module's own on a free loopback port, keeping nothing on disk
    (deploy/system-deps.sh installs Debian's redis-server)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: run deploy/system-deps.sh")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the test's Redis server did not start")
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(params=["database", "redis"])
def two_gateways(request, cluster, amqp_uri, pg_url):
    """Two gateway instances on one PostgreSQL database, counting in it or in a Redis of the test's own;
    the proxy they trust is a loopback address of the test's own."""
    upgrade("gateway", pg_url)
    proxy = _loopback()
    store = "database" if request.param == "database" else request.getfixturevalue("redis_url")
    bases = []
    for _ in range(2):
        config = service_config(amqp_uri, {"gateway": pg_url})
        config["GATEWAY"] = dict(config["GATEWAY"], trusted_proxies=f"{proxy}/32", rate_limit_store=store)
        cluster.start(GatewayService, config)
        bases.append(web_url(config))
    return bases, proxy


def test_two_gateways_grant_one_allowance_per_client_and_a_forged_forwarded_for_does_not_escape_it(
        two_gateways):
    (first, second), _ = two_gateways
    client = client_at(_loopback())
    statuses = [sign_in(client, (first, second)[n % 2]) for n in range(LIMIT + 2)]
    # One gateway process each would have let 2 x 10 through; between them they let 10.
    assert statuses == [401] * LIMIT + [429, 429]
    assert sign_in(client_at(_loopback()), second) == 401    # another client has its own allowance
    # From an address that is not a trusted proxy, X-Forwarded-For is the client's own say: ignored.
    forger = client_at(_loopback())
    statuses = [sign_in(forger, (first, second)[n % 2], forwarded=f"203.0.113.{n + 1}")
                for n in range(LIMIT + 2)]
    assert statuses == [401] * LIMIT + [429, 429]


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance(two_gateways):
    (first, second), proxy = two_gateways
    through_proxy = client_at(proxy)
    patient, neighbour = "198.51.100.7", "198.51.100.8"
    statuses = [sign_in(through_proxy, (first, second)[n % 2], forwarded=patient) for n in range(LIMIT)]
    assert statuses == [401] * LIMIT
    assert sign_in(through_proxy, first, forwarded=patient) == 429
    # What the client wrote to the left of the address the proxy saw changes nothing.
    assert sign_in(through_proxy, second, forwarded=f"10.9.8.7, {patient}") == 429
    # The proxy's other clients are not held by one client's attempts.
    assert sign_in(through_proxy, second, forwarded=neighbour) == 401
