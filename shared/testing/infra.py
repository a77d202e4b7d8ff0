"""Throwaway RabbitMQ vhosts and PostgreSQL databases, one per test."""
import os
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from urllib.parse import quote

import psycopg2
import requests

RABBIT_HOST = os.environ.get("TEST_RABBIT_HOST", "127.0.0.1")
RABBIT_PORT = int(os.environ.get("TEST_RABBIT_PORT", "5672"))
RABBIT_MGMT = os.environ.get("TEST_RABBIT_MGMT", f"http://{RABBIT_HOST}:15672")
# The node the tests that stop their broker may stop: the suite gives them one of its own
# (deploy/test-broker.sh); unset, it is the machine's default node.
RABBIT_NODE = os.environ.get("TEST_RABBIT_NODE")
RABBIT_AUTH = ("guest", "guest")
PG_DSN = os.environ.get("TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def temp_vhost():
    """A fresh vhost, so no test sees another's queues; yields its AMQP URI."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    url = f"{RABBIT_MGMT}/api/vhosts/{quote(name, safe='')}"
    requests.put(url, auth=RABBIT_AUTH, timeout=10).raise_for_status()
    requests.put(f"{RABBIT_MGMT}/api/permissions/{quote(name, safe='')}/guest", auth=RABBIT_AUTH,
                 json={"configure": ".*", "write": ".*", "read": ".*"}, timeout=10).raise_for_status()
    try:
        yield f"amqp://guest:guest@{RABBIT_HOST}:{RABBIT_PORT}/{quote(name, safe='')}"
    finally:
        requests.delete(url, auth=RABBIT_AUTH, timeout=30)


def rabbitmqctl(action: str) -> None:
    """Stop or start the tests' broker node's application (`stop_app`, `start_app`)."""
    node = ["-n", RABBIT_NODE] if RABBIT_NODE else []
    subprocess.run(["rabbitmqctl", *node, action], check=True, capture_output=True, timeout=120)


def _admin():
    conn = psycopg2.connect(PG_DSN)
    conn.autocommit = True
    return conn


def create_pg_database(template: str | None = None) -> str:
    name = f"cp_test_{uuid.uuid4().hex[:12]}"
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        conn.close()
    return PG_DSN.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = _admin()
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


@contextmanager
def temp_pg_database():
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 15.0, interval: float = 0.05, message: str = ""):
    """Poll until predicate() is truthy; return its value or fail with `message`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or f"timed out after {timeout}s waiting for {predicate}")
        time.sleep(interval)
