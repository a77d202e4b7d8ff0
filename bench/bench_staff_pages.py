"""The staff pages under load on this machine: each page's p50 and p99 time at a steady request rate,
printed beside the bare stack measured in the same run at the same rate, with their ratio.

One run starts the gateway, enquiries, the journey and notifications, each its own process (`nameko run`,
as `make run` starts them), on fresh PostgreSQL databases (or SQLite files: --database sqlite) and a
RabbitMQ vhost of its own, and beside them the bare stack: a nameko HTTP entrypoint making one RPC to a
nameko service that does nothing (bench/bare_http_rpc.py). Before they start it seeds --journeys journeys
through the services' own use cases (`ops/seed.py`, as `python -m ops seed` does; on PostgreSQL the seeded
databases are kept as templates, `bench_reads_<journeys>_<service>`, and later runs start from copies of
them, unless --reseed), signs an intake coordinator in (a role that
sees names, searches and has an inbox), then times each target --rounds times (in another order each
round) for --seconds at its rate, open loop: a request's time runs from when it was due, so a slow answer
delays none after it unnoticed.

Targets (TARGETS; `fast` ones at --fast-rate, 200/s, the others at --rate, 50/s):
- bare HTTP->RPC (GET /bare), at each rate: the ratio's baseline;
- bare read (GET /api/me), at each rate: the gateway's sign-in check, no service behind it;
- timeline API (GET /api/journeys/<id>/timeline), fast: the journey's projection and timeline;
- board page (GET /ui/board?page=…), fast: a page of 25 (a stage, a stall or all), names, the access log;
- journey page (GET /ui/journeys/<id>): the patient page: timeline, the patient's details (enquiries'
  record, access-logged), the actions the stage allows the role;
- search page (GET /ui/search?q=…) and search API (GET /api/patients?q=…): Find a patient;
- work page (GET /ui/work) and work API (GET /api/work): My work of the intake coordinator.
Queries cycle through parts of names, whole names, emails, dates of birth and journey id prefixes.
Every figure is the median of the rounds.

Usage: python bench/bench_staff_pages.py [--journeys N] [--rate R] [--fast-rate F] [--seconds S]
                                         [--rounds K] [--database postgresql|sqlite] [--targets board,work]
--targets times only the targets whose names contain one of the words given (the bare ones always run,
for the ratio); the seed is the same whatever is timed.
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg2  # noqa: E402
import requests  # noqa: E402
import yaml  # noqa: E402
from sqlalchemy import select  # noqa: E402

from ops.seed import Person, seed  # noqa: E402
from services.enquiries import models as enquiries_models  # noqa: E402
from services.gateway import models as gateway_models  # noqa: E402
from services.gateway.handlers.accounts import create_user  # noqa: E402
from shared.config import ROOT, load_config  # noqa: E402
from shared.db import Store  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.testing.cluster import service_config  # noqa: E402
from shared.testing.infra import PG_DSN, create_pg_database, drop_pg_database, free_port, temp_vhost  # noqa: E402

SERVICES = {"gateway": "services.gateway.service:GatewayService",
            "enquiries": "services.enquiries.service:EnquiriesService",
            "journey": "services.journey.service:JourneyService",
            "notifications": "services.notifications.service:NotificationsService"}   # My work's messages
BARE = {"bare_rpc": "bench.bare_http_rpc:BareRpc", "bare_http": "bench.bare_http_rpc:BareHttp"}
PASSWORD = "a long enough bench password"
BOARD_VIEWS = ("", "stage=screening&", "stall=any&", "stage=payment&")
TIMEOUT = 30   # seconds a request may take before it counts as a failure


@dataclass
class Target:
    """One page or read to time: its path for the n-th request, whether it is a page (cookie), whether it
    runs at the fast rate, and whether it is a baseline (run at every rate)."""
    name: str
    path: Callable[[int, list[Person]], str]
    page: bool
    fast: bool = False
    bare: bool = False


def _query(n: int, people: list[Person]) -> str:
    person = people[(n * 7919) % len(people)]
    given, family = person.name.split(" ", 1)
    kinds = (family.split()[-1][:4].lower(), person.name, person.email.upper(),
             person.born.strftime("%d-%m-%Y"), person.journey_id[:8], f"{given[:3]} {family[:3]}")
    return kinds[n % len(kinds)]


def _journey(n: int, people: list[Person]) -> str:
    return people[(n * 7919) % len(people)].journey_id


def _board(n: int, people: list[Person]) -> str:
    return f"/ui/board?{BOARD_VIEWS[n % len(BOARD_VIEWS)]}page={1 + (n // len(BOARD_VIEWS)) % 40}"


TARGETS = [
    Target("bare HTTP->RPC (GET /bare)", lambda n, people: "/bare", page=False, bare=True),
    Target("bare read (GET /api/me)", lambda n, people: "/api/me", page=False, bare=True),
    Target("timeline API (GET /api/journeys/<id>/timeline)",
           lambda n, people: f"/api/journeys/{_journey(n, people)}/timeline", page=False, fast=True),
    Target("board page (GET /ui/board)", _board, page=True, fast=True),
    Target("journey page (GET /ui/journeys/<id>)", lambda n, people: f"/ui/journeys/{_journey(n, people)}",
           page=True),
    Target("search page (GET /ui/search)", lambda n, people: f"/ui/search?q={_query(n, people)}", page=True),
    Target("search API (GET /api/patients)", lambda n, people: f"/api/patients?q={_query(n, people)}",
           page=False),
    Target("work page (GET /ui/work)", lambda n, people: "/ui/work", page=True),
    Target("work API (GET /api/work)", lambda n, people: "/api/work", page=False),
]


def _processes(stack: ExitStack, workdir: Path, config: dict, services: dict) -> dict[str, str]:
    """Each service its own `nameko run` process; their HTTP addresses once all are ready."""
    addresses, processes = {}, []
    for name, path in services.items():
        addresses[name] = f"127.0.0.1:{free_port()}"
        config_file = workdir / f"{name}.yaml"
        config_file.write_text(yaml.safe_dump(dict(config, WEB_SERVER_ADDRESS=addresses[name])))
        log = stack.enter_context(open(workdir / f"{name}.log", "wb"))
        processes.append(subprocess.Popen([sys.executable, "-m", "nameko", "run", "--config",
                                           str(config_file), path], cwd=ROOT, stdout=log, stderr=log))
    stack.callback(_stop, processes)
    return addresses


@contextmanager
def running_system(workdir: Path, urls: dict[str, str]):
    """The four services and the bare pair as processes on `urls` and a vhost of their own;
    yields (gateway url, bare url, AMQP URI)."""
    with ExitStack() as stack:
        amqp_uri = _vhost(stack)
        config = service_config(amqp_uri, urls)
        config["LOGGING"] = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
        # notifications sends nothing here: no relay listens at its SMTP address
        config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], smtp_url=f"smtp://127.0.0.1:{free_port()}",
                                       mail_dir=str(workdir / "mail"))
        addresses = _processes(stack, workdir, config, SERVICES)
        bare = _processes(stack, workdir, {"AMQP_URI": amqp_uri}, BARE)
        for name in SERVICES:
            _wait_ready(f"http://{addresses[name]}/health/ready", workdir / f"{name}.log")
        _wait_ready(f"http://{bare['bare_http']}/bare", workdir / "bare_http.log")
        yield f"http://{addresses['gateway']}", f"http://{bare['bare_http']}", amqp_uri


@contextmanager
def databases(workdir: Path, database: str, journeys: int, reseed: bool):
    """The services' databases, and whether they still need their journeys: on PostgreSQL, clones of the
    databases an earlier run seeded (kept as templates `bench_reads_<journeys>_<service>`) when there are
    some; else fresh ones, kept as those templates once seeded (`keep()`)."""
    templates = {name: f"bench_reads_{journeys}_{name}" for name in SERVICES}
    with ExitStack() as stack:
        if database == "sqlite":
            yield {name: f"sqlite:///{workdir}/{name}.db" for name in SERVICES}, True, lambda: None
            return
        have = _existing(list(templates.values()))
        fresh = reseed or len(have) < len(templates)
        urls = {}
        for name in SERVICES:
            urls[name] = create_pg_database(None if fresh else templates[name])
            stack.callback(drop_pg_database, urls[name])

        def keep() -> None:
            for name, url in urls.items():
                _admin_sql(f'DROP DATABASE IF EXISTS "{templates[name]}"',
                           f'CREATE DATABASE "{templates[name]}" TEMPLATE "{url.rsplit("/", 1)[1]}"')
        yield urls, fresh, keep


def _existing(names: list[str]) -> set[str]:
    with psycopg2.connect(PG_DSN) as conn, conn.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname = ANY(%s)", (names,))
        return {row[0] for row in cur.fetchall()}


def _admin_sql(*statements: str) -> None:
    conn = psycopg2.connect(PG_DSN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def people_in(url: str) -> list[Person]:
    """The seeded people, read back from enquiries (for a run on databases seeded before)."""
    store = Store(url, enquiries_models.kernel)
    try:
        with store.session() as session:
            table = enquiries_models.Enquiry
            rows = session.execute(select(table.journey_id, table.name, table.email, table.date_of_birth)
                                   .order_by(table.received_at)).all()
    finally:
        store.dispose()
    return [Person(*row) for row in rows]


def _vhost(stack: ExitStack, tries: int = 5) -> str:
    """A vhost of this run's own; asked again when the broker's management API is slow to answer."""
    for attempt in range(tries):
        try:
            return stack.enter_context(temp_vhost())
        except requests.RequestException:
            if attempt == tries - 1:
                raise
            time.sleep(5)


def _stop(processes) -> None:
    for proc in processes:
        proc.terminate()
    for proc in processes:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_ready(url: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready:\n{log.read_text()[-2000:]}")


def drive(base: str, target: Target, people: list[Person], token: str, rate: float, seconds: float) -> dict:
    """Open loop: request n is due at start + n / rate; its time runs from then to the last byte.
    Each client thread keeps one connection (http.client: the load costs this machine little)."""
    local, host = threading.local(), urlsplit(base).netloc
    headers = {"Cookie": f"carepath_staff={token}"} if target.page else {"Authorization": f"Bearer {token}"}
    count = int(rate * seconds)
    start = time.perf_counter() + 0.2

    def one(n: int) -> tuple[float, int]:
        if getattr(local, "connection", None) is None:
            local.connection = http.client.HTTPConnection(host, timeout=TIMEOUT)
        due = start + n / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        try:
            local.connection.request("GET", quote(target.path(n, people), safe="/?=&"), headers=headers)
            answer = local.connection.getresponse()
            answer.read()
            return time.perf_counter() - due, answer.status
        except (OSError, http.client.HTTPException):   # no answer in TIMEOUT: a failure, at its time
            local.connection.close()
            local.connection = None
            return time.perf_counter() - due, 0

    with ThreadPoolExecutor(max_workers=128) as pool:
        timed = list(pool.map(one, range(count)))
    latencies = sorted(t for t, _ in timed)
    failures = sum(1 for _, status in timed if status != 200)
    if not target.name.startswith("bare HTTP"):
        _settle(base, token)
    return {"p50_ms": _percentile(latencies, 50) * 1000, "p99_ms": _percentile(latencies, 99) * 1000,
            "requests": count, "failures": failures}


def _settle(base: str, token: str, within: float = 1.0, most: float = 20) -> None:
    """Wait until the gateway answers a bare read quickly again: a target the system could not keep up
    with leaves requests queued, which must not count against the next one."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + most
    while time.monotonic() < deadline:
        began = time.perf_counter()
        try:
            requests.get(f"{base}/api/me", headers=headers, timeout=most)
        except requests.RequestException:
            pass
        if time.perf_counter() - began < within:
            return
        time.sleep(1)


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def chosen(words: str | None) -> list[Target]:
    """The bare targets, and those whose names contain one of `words` (comma-separated; all if none)."""
    if not words:
        return TARGETS
    wanted = [word.strip().lower() for word in words.split(",") if word.strip()]
    picked = [t for t in TARGETS if not t.bare and any(word in t.name.lower() for word in wanted)]
    if not picked:
        raise SystemExit(f"no target's name contains {', '.join(wanted)}: "
                         + "; ".join(t.name for t in TARGETS if not t.bare))
    return [t for t in TARGETS if t.bare] + picked


def runs_of(args, targets: list[Target]) -> list[tuple[Target, float]]:
    """(target, rate) pairs: each timed target at its rate, each baseline at every rate used."""
    rates = sorted({args.fast_rate if t.fast else args.rate for t in targets if not t.bare})
    return [(t, rate) for t in targets if t.bare for rate in rates] + \
        [(t, args.fast_rate if t.fast else args.rate) for t in targets if not t.bare]


def measure(args) -> tuple[dict, list[dict]]:
    """One system, one seed, --rounds rounds of every target; (the seed's figures, each round's)."""
    pairs = runs_of(args, chosen(args.targets))
    with tempfile.TemporaryDirectory() as folder, \
            databases(Path(folder), args.database, args.journeys, args.reseed) as (urls, fresh, keep):
        for name, url in urls.items():
            upgrade(name, url)
        if fresh:
            begun = time.monotonic()
            people = seed(load_config(), urls, args.journeys, say=lambda line: print(line, file=sys.stderr))
            seeded = {"journeys": len(people), "seconds": round(time.monotonic() - begun)}
            keep()
        else:
            people = people_in(urls["enquiries"])
            seeded = {"journeys": len(people), "from": "the databases an earlier run seeded"}
        with running_system(Path(folder), urls) as (base, bare_base, amqp_uri):
            return seeded, time_targets(args, pairs, base, bare_base, urls, people)


def time_targets(args, pairs, base: str, bare_base: str, urls: dict, people: list[Person]) -> list[dict]:
    gateway = Store(urls["gateway"], gateway_models.kernel)
    with gateway.session() as session:
        if not session.scalar(select(gateway_models.StaffUser.id).where(
                gateway_models.StaffUser.username == "bench")):
            create_user(session, "bench", PASSWORD, "intake_coordinator")
    gateway.dispose()
    token = requests.post(f"{base}/api/auth/token", json={"username": "bench", "password": PASSWORD},
                          timeout=30).json()["access_token"]
    for target, rate in pairs:   # warm each up (connections, caches, indexes) before timing
        drive(bare_base if target.name.startswith("bare HTTP") else base, target, people, token, rate, 2)
    rounds = []
    for attempt in range(args.rounds):
        order = pairs[attempt % len(pairs):] + pairs[:attempt % len(pairs)]   # none always last
        rounds.append({(t.name, rate): drive(bare_base if t.name.startswith("bare HTTP") else base, t,
                                             people, token, rate, args.seconds) for t, rate in order})
        print(f"round {attempt + 1} of {args.rounds} done", file=sys.stderr)
    return rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0, help="requests/s of the other targets")
    parser.add_argument("--fast-rate", type=float, default=200.0, help="requests/s of timeline and board")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--reseed", action="store_true", help="seed again even if an earlier run's "
                                                               "seeded databases are there")
    parser.add_argument("--targets", help="only these targets (words of their names, comma-separated, "
                                          "e.g. board,timeline); the bare ones always run")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    seeded, rounds = measure(args)
    # The machine's load beside the figures: a page's time is mostly CPU shared with everything else here.
    summary = {"journeys": args.journeys, "seed": seeded, "seconds": args.seconds, "rounds": args.rounds,
               "database": args.database, "cpus": os.cpu_count(),
               "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    for key in rounds[0]:
        figures = [one[key] for one in rounds]
        summary[f"{key[0]} at {key[1]:g}/s"] = {
            "p50_ms": round(statistics.median(f["p50_ms"] for f in figures), 1),
            "p99_ms": round(statistics.median(f["p99_ms"] for f in figures), 1),
            "failures": sum(f["failures"] for f in figures)}
    bare = TARGETS[0].name
    for key in rounds[0]:
        if not key[0].startswith("bare"):
            figure, baseline = summary[f"{key[0]} at {key[1]:g}/s"], summary[f"{bare} at {key[1]:g}/s"]
            figure["bare_http_rpc_p50_p99_ms"] = [baseline["p50_ms"], baseline["p99_ms"]]
            figure["p99_vs_bare"] = round(figure["p99_ms"] / baseline["p99_ms"], 2)
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
