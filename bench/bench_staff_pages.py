"""The staff pages under load on this machine: each page's p50 and p99 time at a steady request rate,
printed beside a bare API read through the same gateway in the same run, with their ratio.

Each run starts the gateway, enquiries and the journey, each its own process (`nameko run`, as
`make run` starts them), on fresh PostgreSQL databases (or SQLite files: --database sqlite) and a
RabbitMQ vhost of its own, seeds 10,000 journeys by bulk inserts straight into the enquiries and
journey databases (people with names, emails and dates of birth; the board's rows), signs an intake
coordinator in, then drives each target in turn (in another order each run) at --rate requests per
second for --seconds, open loop: a request's time runs from when it was due, so a slow answer delays
none after it unnoticed.

Targets (TARGETS; a page is added with its own entry, and a SEEDERS entry if it needs data):
- bare read: GET /api/me, the caller's identity (the same sign-in check, no service behind it);
- search page: GET /ui/search?q=… (enquiries' search, the journey's stages, the access log, the page);
- search API: GET /api/patients?q=… (the same, as JSON);
- work page: GET /ui/work, My work of the intake coordinator (enquiries' work queues and notifications'
  unread messages asked at once, names in one call, gathered once a role every GATEWAY.work_inbox_seconds,
  2 s; every view's journeys in the access log; the page);
- work API: GET /api/work (the same, as JSON).
For My work, notifications runs too, and the seed adds waiting work: pre-screen outcomes, screening steps
done and appointments planned, and patients' unread messages to the coordinator.
Queries cycle through parts of names, whole names, emails, dates of birth and journey id prefixes.
Every figure is the median of --runs runs.

Usage: python bench/bench_staff_pages.py [--journeys N] [--rate R] [--seconds S] [--runs K]
                                         [--database postgresql|sqlite] [--targets search,work]
--targets times only the targets whose names contain one of the words given (the bare read always runs,
for the ratio); the seed is the same whatever is timed.
"""
import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
import yaml  # noqa: E402
from sqlalchemy import insert, select, text, update  # noqa: E402

from services.enquiries import models as enquiries_models  # noqa: E402
from services.enquiries.domain.search import search_text  # noqa: E402
from services.gateway import models as gateway_models  # noqa: E402
from services.gateway.handlers.accounts import create_user  # noqa: E402
from services.journey import models as journey_models  # noqa: E402
from services.notifications import models as notifications_models  # noqa: E402
from shared.config import ROOT  # noqa: E402
from shared.db import Store  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.testing.cluster import service_config  # noqa: E402
from shared.testing.infra import free_port, temp_pg_database, temp_vhost  # noqa: E402

SERVICES = {"gateway": "services.gateway.service:GatewayService",
            "enquiries": "services.enquiries.service:EnquiriesService",
            "journey": "services.journey.service:JourneyService",
            "notifications": "services.notifications.service:NotificationsService"}   # My work's messages
PASSWORD = "a long enough bench password"
GIVEN = ("Anna", "Jan", "Zoë", "Łukasz", "Renée", "Joost", "Maria", "Piet", "Sofía", "Mehmet", "Fatima",
         "Lars", "Ingrid", "Tomás", "Chloé", "Oğuz", "Noah", "Eva", "Daan", "Sanne", "Bram", "Lotte", "Milan",
         "Jesús", "Ana", "Björn", "Ayşe", "Pierre", "Hélène", "Karel")
FAMILY = ("de Vries", "Jansen", "Müller", "Kowalski", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
          "García", "Yılmaz", "Nowak", "Dubois", "Lefèvre", "Ångström", "Novák", "Rossi", "Ferrari",
          "Hansen", "Johansson", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
          "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
          "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan")
STAGES = ("enquiry", "screening", "payment", "scheduling", "surgery_planned", "clinical_stay",
          "rehabilitation", "follow_up", "declined", "information")


@dataclass
class Person:
    journey_id: str
    name: str
    email: str
    born: date


@dataclass
class Target:
    """One page or read to time: its path for the n-th request, and whether it is a page (cookie)."""
    name: str
    path: Callable[[int, list[Person]], str]
    page: bool


def _query(n: int, people: list[Person]) -> str:
    person = people[(n * 7919) % len(people)]
    given, family = person.name.split(" ", 1)
    kinds = (family.split()[-1][:4].lower(), person.name, person.email.upper(),
             person.born.strftime("%d-%m-%Y"), person.journey_id[:8], f"{given[:3]} {family[:3]}")
    return kinds[n % len(kinds)]


TARGETS = [
    Target("bare read (GET /api/me)", lambda n, people: "/api/me", page=False),
    Target("search page (GET /ui/search)", lambda n, people: f"/ui/search?q={_query(n, people)}", page=True),
    Target("search API (GET /api/patients)", lambda n, people: f"/api/patients?q={_query(n, people)}",
           page=False),
    Target("work page (GET /ui/work)", lambda n, people: "/ui/work", page=True),
    Target("work API (GET /api/work)", lambda n, people: "/api/work", page=False),
]


def seed_enquiries(url: str, count: int, rng: random.Random) -> list[Person]:
    """`count` suitability enquiries with names, emails and dates of birth, in bulk (search columns
    filled as the model's listener would)."""
    now, people, rows = datetime.now(UTC), [], []
    for n in range(count):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        person = Person(str(uuid.uuid4()), name, f"person{n}.{rng.randrange(10**6)}@example.org",
                        date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)))
        people.append(person)
        rows.append({"id": str(uuid.uuid4()), "journey_id": person.journey_id, "kind": "suitability",
                     "status": "screening", "received_at": now - timedelta(minutes=n), "name": name,
                     "email": person.email, "date_of_birth": person.born,
                     "country": rng.choice(("NL", "DE", "PL", "FR")),
                     "preferred_language": "en", "privacy_consent": True, "health_data_consent": True,
                     "marketing_consent": False, "search_name": search_text(name),
                     "search_email": person.email.lower()})
    _bulk(url, enquiries_models.kernel, enquiries_models.Enquiry.__table__, rows)
    return people


def seed_journey(url: str, people: list[Person], rng: random.Random) -> None:
    """The board's rows for the same journeys (the projection, as if their facts had come)."""
    now = datetime.now(UTC)
    rows = [{"journey_id": p.journey_id, "kind": "suitability", "stage": rng.choice(STAGES),
             "waiting_for": "", "started_at": now - timedelta(days=30),
             "last_event_at": now - timedelta(hours=n),
             "event_count": 3, "answered": True, "deposit_paid": False, "payment_disputed": False}
            for n, p in enumerate(people)]
    _bulk(url, journey_models.kernel, journey_models.JourneyRow.__table__, rows)


def seed_waiting_work(url: str, people: list[Person], rng: random.Random) -> None:
    """What waits for the intake coordinator among the same enquiries: each has its automatic pre-screen;
    one in 20 is on hold (an automatic outcome to review), one in 10 has had its invitation and waits for a
    consultation planned over the coming days (some passed unrecorded), one in 10 has a consultation done."""
    now, store = datetime.now(UTC), Store(url, enquiries_models.kernel)
    try:
        with store.session() as session:
            enquiry_table = enquiries_models.Enquiry
            ids = dict(session.execute(select(enquiry_table.journey_id, enquiry_table.id)).all())
        prescreens, steps, appointments, on_hold = [], [], [], []
        for n, person in enumerate(people):
            enquiry, held = ids[person.journey_id], n % 20 == 0
            prescreens.append({"enquiry_id": enquiry, "outcome": "on_hold" if held else "passed",
                               "rules_fired": ["smoking_current"] if held else [], "rule_set_version": "1",
                               "overridden": False, "decided_by": "system",
                               "decided_at": now - timedelta(minutes=n)})
            if held:
                on_hold.append(enquiry)
            elif n % 5 in (1, 2):
                steps.append({"enquiry_id": enquiry, "step": "outpatient_invitation", "state": "completed",
                              "done_by": "staff:1", "done_at": now - timedelta(hours=n % 300)})
                if n % 5 == 2:
                    steps.append({"enquiry_id": enquiry, "step": "consultation", "state": "completed",
                                  "done_by": "staff:1", "done_at": now - timedelta(hours=n % 200)})
                else:
                    appointments.append({"enquiry_id": enquiry, "step": "consultation", "channel": "video",
                                         "scheduled_at": now + timedelta(hours=rng.randrange(-48, 24 * 14)),
                                         "status": "planned", "planned_by": "staff:1", "updated_at": now})
        _bulk(url, enquiries_models.kernel, enquiries_models.Prescreen.__table__, prescreens)
        _bulk(url, enquiries_models.kernel, enquiries_models.ScreeningStep.__table__, steps)
        _bulk(url, enquiries_models.kernel, enquiries_models.Appointment.__table__, appointments)
        with store.session() as session:
            table = enquiries_models.Enquiry.__table__
            session.execute(update(table).where(table.c.id.in_(on_hold)).values(status="on_hold"))
            if store.engine.dialect.name == "postgresql":
                session.execute(text(f"ANALYZE {table.name}"))
    finally:
        store.dispose()


def seed_messages(url: str, people: list[Person], rng: random.Random) -> None:
    """Patients' messages to the intake coordinator that no one has read: one in 50 of the journeys."""
    now = datetime.now(UTC)
    rows = [{"id": str(uuid.uuid4()), "journey_id": p.journey_id, "author": "patient",
             "addressed_role": "intake_coordinator", "posted_by": f"patient:{p.journey_id}",
             "text": "A question about the next step", "posted_at": now - timedelta(hours=n)}
            for n, p in enumerate(people[::50])]
    _bulk(url, notifications_models.kernel, notifications_models.CareMessage.__table__, rows)


SEEDERS = [("enquiries", seed_enquiries), ("journey", seed_journey),   # run in this order
           ("enquiries", seed_waiting_work), ("notifications", seed_messages)]


def _bulk(url: str, kernel, table, rows: list[dict]) -> None:
    store = Store(url, kernel)
    try:
        with store.session() as session:
            for start in range(0, len(rows), 2000):
                session.execute(insert(table), rows[start:start + 2000])
        if store.engine.dialect.name == "postgresql":   # as autovacuum soon would: the planner's figures
            with store.session() as session:
                session.execute(text(f"ANALYZE {table.name}"))
    finally:
        store.dispose()


@contextmanager
def running_system(workdir: Path, database: str):
    """The three services as processes on fresh databases; yields (gateway url, databases)."""
    with ExitStack() as stack:
        amqp_uri = stack.enter_context(temp_vhost())
        urls = {name: (stack.enter_context(temp_pg_database()) if database == "postgresql"
                       else f"sqlite:///{workdir}/{name}.db") for name in SERVICES}
        for name, url in urls.items():
            upgrade(name, url)
        config = service_config(amqp_uri, urls)
        config["LOGGING"] = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
        # notifications sends nothing here: no relay listens at its SMTP address
        config["NOTIFICATIONS"] = dict(config["NOTIFICATIONS"], smtp_url=f"smtp://127.0.0.1:{free_port()}",
                                       mail_dir=str(workdir / "mail"))
        ports = {name: free_port() for name in SERVICES}
        processes = []
        for name, path in SERVICES.items():
            config_file = workdir / f"{name}.yaml"
            address = f"127.0.0.1:{ports[name]}"
            config_file.write_text(yaml.safe_dump(dict(config, WEB_SERVER_ADDRESS=address)))
            log = stack.enter_context(open(workdir / f"{name}.log", "wb"))
            processes.append(subprocess.Popen([sys.executable, "-m", "nameko", "run", "--config",
                                               str(config_file), path], cwd=ROOT, stdout=log, stderr=log))
        stack.callback(_stop, processes)
        for name in SERVICES:
            _wait_ready(f"http://127.0.0.1:{ports[name]}/health/ready", workdir / f"{name}.log")
        yield f"http://127.0.0.1:{ports['gateway']}", urls


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
            local.connection = http.client.HTTPConnection(host, timeout=30)
        due = start + n / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        local.connection.request("GET", quote(target.path(n, people), safe="/?=&"), headers=headers)
        answer = local.connection.getresponse()
        answer.read()
        return time.perf_counter() - due, answer.status

    with ThreadPoolExecutor(max_workers=64) as pool:
        timed = list(pool.map(one, range(count)))
    latencies = sorted(t for t, _ in timed)
    failures = sum(1 for _, status in timed if status != 200)
    return {"p50_ms": _percentile(latencies, 50) * 1000, "p99_ms": _percentile(latencies, 99) * 1000,
            "requests": count, "failures": failures}


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def chosen(words: str | None) -> list[Target]:
    """The bare read, and the targets whose names contain one of `words` (comma-separated; all if none)."""
    if not words:
        return TARGETS
    wanted = [word.strip().lower() for word in words.split(",") if word.strip()]
    picked = [TARGETS[0]] + [t for t in TARGETS[1:] if any(word in t.name.lower() for word in wanted)]
    if len(picked) == 1:
        raise SystemExit(f"no target's name contains {', '.join(wanted)}: "
                         + "; ".join(t.name for t in TARGETS[1:]))
    return picked


def one_run(args, attempt: int) -> dict:
    rng = random.Random(attempt)
    targets = chosen(args.targets)
    with tempfile.TemporaryDirectory() as folder, running_system(Path(folder), args.database) as (base, urls):
        people = seed_enquiries(urls["enquiries"], args.journeys, rng)
        for name, seeder in SEEDERS[1:]:
            seeder(urls[name], people, rng)
        gateway = Store(urls["gateway"], gateway_models.kernel)
        with gateway.session() as session:
            create_user(session, "bench", PASSWORD, "intake_coordinator")
        gateway.dispose()
        token = requests.post(f"{base}/api/auth/token", json={"username": "bench", "password": PASSWORD},
                              timeout=30).json()["access_token"]
        for target in targets:   # warm each up (connections, caches, the trigram index) before timing
            drive(base, target, people, token, args.rate, 2)
        order = targets[attempt % len(targets):] + targets[:attempt % len(targets)]   # none always last
        return {target.name: drive(base, target, people, token, args.rate, args.seconds) for target in order}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--targets", help="only these targets (words of their names, comma-separated, "
                                          "e.g. search); the bare read always runs")
    args = parser.parse_args()
    targets = chosen(args.targets)
    load_before = os.getloadavg()[0]
    runs = [one_run(args, attempt) for attempt in range(args.runs)]
    bare = targets[0].name
    # The machine's load beside the figures: a page's time is mostly CPU shared with everything else here.
    summary = {"journeys": args.journeys, "rate_per_second": args.rate, "seconds": args.seconds,
               "runs": args.runs, "database": args.database, "cpus": os.cpu_count(),
               "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    for target in targets:
        figures = [run[target.name] for run in runs]
        summary[target.name] = {"p50_ms": round(statistics.median(f["p50_ms"] for f in figures), 1),
                                "p99_ms": round(statistics.median(f["p99_ms"] for f in figures), 1),
                                "failures": sum(f["failures"] for f in figures)}
    for target in targets[1:]:
        summary[target.name]["p99_vs_bare_read"] = round(summary[target.name]["p99_ms"] /
                                                         summary[bare]["p99_ms"], 2)
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
