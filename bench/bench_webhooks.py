"""Signed payment webhooks end to end (verify, store, 2xx): accepted per second, and latency at a fixed rate.

Runs the gateway and the payments service as `nameko run` processes on PostgreSQL and RabbitMQ
(as in production), seeds invoices, then posts Stripe-signed `payment_intent.succeeded` events
to /api/webhooks/payments over keep-alive connections. The payments service processes each
stored event in the background meanwhile (ledger, milestones), as it would in production.
  1. fixed rate: RATE webhooks/s for SECONDS, open loop -> p50 / p99 measured from the
     scheduled send time (a late send counts against the figure)
  2. throughput: CONNECTIONS clients sending BURST webhooks back to back -> accepted/s
Between phases the bench waits until every stored webhook has been applied.
Each phase runs ROUNDS times; the medians are printed last.

    python bench/bench_webhooks.py [--rate 300] [--seconds 10] [--rounds 3] [--connections 16]
"""
import argparse
import http.client
import json
import os
import queue
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import stripe  # noqa: E402
import yaml  # noqa: E402

from shared import topology  # noqa: E402
from shared.db import Store  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.testing.cluster import service_config  # noqa: E402
from shared.testing.infra import free_port, temp_pg_database, temp_vhost  # noqa: E402

SECRET = "whsec_bench_only_secret"
INVOICES = 2000


def start_stack(stack: ExitStack) -> tuple[str, Store]:
    from services.payments import models
    from services.payments.service import PaymentsService
    amqp_uri = stack.enter_context(temp_vhost())
    payments_url = stack.enter_context(temp_pg_database())
    gateway_url = stack.enter_context(temp_pg_database())
    upgrade("payments", payments_url)
    upgrade("gateway", gateway_url)
    topology.declare(amqp_uri, [PaymentsService])
    config = service_config(amqp_uri, {"payments": payments_url, "gateway": gateway_url})
    config["PAYMENTS"] = dict(config["PAYMENTS"], webhook_secrets=SECRET,
                              provider_url=f"http://127.0.0.1:{free_port()}")  # no provider calls here
    gateway = f"http://{config['WEB_SERVER_ADDRESS']}"
    logs = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    for name, path, address in (("payments", "services.payments.service:PaymentsService",
                                 f"127.0.0.1:{free_port()}"),
                                ("gateway", "services.gateway.service:GatewayService",
                                 config["WEB_SERVER_ADDRESS"])):
        config_path = logs / f"{name}.yaml"
        config_path.write_text(yaml.safe_dump(dict(config, WEB_SERVER_ADDRESS=address)))
        log = open(logs / f"{name}.log", "w")
        command = [sys.executable, "-m", "nameko", "run", "--config", str(config_path), path]
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log,
                                env=dict(os.environ, PYTHONWARNINGS="ignore"))
        stack.callback(lambda p=proc: (p.terminate(), p.wait(20)))
        _wait_ready(f"http://{address}/health/ready", logs / f"{name}.log")
    store = Store(payments_url, models.kernel)
    stack.callback(store.dispose)
    return gateway, _seed(store)


def _wait_ready(url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} never became ready; see {log}")


def _seed(store: Store) -> Store:
    from services.payments.models import Invoice
    with store.session() as session:
        for _ in range(INVOICES):
            session.add(Invoice(
                id=str(uuid.uuid4()), journey_id=str(uuid.uuid4()), package="transfemoral", currency="EUR",
                total_cents=4_500_000, deposit_cents=2_250_000, owed_cents=4_500_000, paid_cents=0,
                refunded_cents=0, refunds_requested_cents=0, refund_due_cents=0, disputed_cents=0,
                deposit_due=date(2030, 1, 1), issued_at=datetime.now(UTC)))
    return store


def webhooks(store: Store, count: int) -> list[tuple[bytes, dict]]:
    """Signed bodies, each a small instalment on one of the seeded invoices."""
    from sqlalchemy import select

    from services.payments.models import Invoice
    with store.session() as session:
        invoices = session.execute(select(Invoice.id, Invoice.journey_id)).all()
    signed = []
    for n in range(count):
        invoice_id, journey_id = invoices[n % len(invoices)]
        intent = f"pi_{secrets.token_hex(12)}"
        intent_object = {"id": intent, "object": "payment_intent", "amount": 1000, "amount_received": 1000,
                         "currency": "eur", "status": "succeeded", "latest_charge": "ch_" + intent[3:],
                         "metadata": {"invoice_id": invoice_id, "journey_id": journey_id}}
        body = json.dumps({"id": f"evt_{secrets.token_hex(12)}", "object": "event", "livemode": False,
                           "created": int(time.time()), "type": "payment_intent.succeeded",
                           "data": {"object": intent_object}})
        header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
        signed.append((body.encode(), {"Content-Type": "application/json", "Stripe-Signature": header}))
    return signed


def _worker(gateway: str, jobs: queue.Queue, results: list) -> None:
    host = gateway.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=30)
    while (job := jobs.get()) is not None:
        scheduled, body, headers = job
        try:
            conn.request("POST", "/api/webhooks/payments", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, timeout=30)
            status = 0
        results.append((status, time.perf_counter() - scheduled))
    conn.close()


def run(gateway: str, signed: list, connections: int, rate: float | None) -> tuple[float, list]:
    """Send every webhook; at `rate` per second (open loop) or back to back. Returns (seconds, results)."""
    jobs, results = queue.Queue(), []
    threads = [threading.Thread(target=_worker, args=(gateway, jobs, results)) for _ in range(connections)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    for n, (body, headers) in enumerate(signed):
        scheduled = start + n / rate if rate else time.perf_counter()
        if rate:
            time.sleep(max(0.0, scheduled - time.perf_counter()))
        jobs.put((scheduled, body, headers))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, results


def drain(store: Store, timeout: float = 120) -> float:
    """Wait until every stored webhook has been applied; returns how long that took."""
    from sqlalchemy import func, select

    from services.payments.models import ProviderEvent
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        with store.session() as session:
            if not session.scalar(select(func.count()).select_from(ProviderEvent)
                                  .where(ProviderEvent.processed_at.is_(None))):
                return time.perf_counter() - start
        time.sleep(0.1)
    raise RuntimeError("stored webhooks were not all applied in time")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--burst", type=int, default=2000, help="webhooks per throughput round")
    args = parser.parse_args()
    with ExitStack() as stack:
        gateway, store = start_stack(stack)
        run(gateway, webhooks(store, 300), args.connections, None)  # warm up connections and pools
        drain(store)
        throughputs, p50s, p99s, lags, failures = [], [], [], [], 0
        for round_no in range(1, args.rounds + 1):
            signed = webhooks(store, int(args.rate * args.seconds))
            _, results = run(gateway, signed, max(args.connections, 32), args.rate)
            failures += sum(1 for status, _ in results if status != 200)
            latencies = [seconds * 1000 for status, seconds in results if status == 200]
            p50s.append(percentile(latencies, 50))
            p99s.append(percentile(latencies, 99))
            drain(store)  # each phase starts with nothing left to apply
            elapsed, results = run(gateway, webhooks(store, args.burst), args.connections, None)
            accepted = sum(1 for status, _ in results if status == 200)
            failures += args.burst - accepted
            throughputs.append(accepted / elapsed)
            lags.append(drain(store))
            print(f"round {round_no}: at {args.rate:.0f}/s: p50 {p50s[-1]:5.1f} ms, p99 {p99s[-1]:5.1f} ms; "
                  f"back to back: {throughputs[-1]:4.0f} accepted/s, all applied {lags[-1]:.1f} s after",
                  flush=True)
        print(f"median of {args.rounds} rounds: {statistics.median(throughputs):.0f} accepted webhooks/s "
              f"({args.connections} connections); at {args.rate:.0f}/s for {args.seconds:.0f} s: "
              f"p50 {statistics.median(p50s):.1f} ms, p99 {statistics.median(p99s):.1f} ms; "
              f"non-2xx: {failures}")
        print(f"stored webhooks applied to the ledger in the background; after a back-to-back burst "
              f"of {args.burst} the last was applied {statistics.median(lags):.1f} s later (median)")


if __name__ == "__main__":
    main()
