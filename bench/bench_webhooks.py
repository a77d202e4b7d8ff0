"""Signed payment webhooks end to end (verify, hand over durably, 2xx): accepted per second, and latency
at a fixed rate, beside bare nameko HTTP -> one RPC measured in the same run.

Runs the gateway and the payments service as `nameko run` processes on PostgreSQL and RabbitMQ
(as in production), seeds invoices, then posts Stripe-signed `payment_intent.succeeded` events
to /api/webhooks/payments over keep-alive connections. The gateway answers once the broker has
confirmed the event on payments' queue; payments stores it (inbox, by the provider's event id)
and applies it to the ledger in the background meanwhile, as it would in production.
  1. fixed rate: RATE webhooks/s for SECONDS, open loop -> p50 / p99 measured from the
     scheduled send time (a late send counts against the figure)
  2. throughput: CONNECTIONS clients sending BURST webhooks back to back -> accepted/s
Between phases the bench waits until every accepted webhook has been stored and applied.
The bare baseline: a nameko @http entrypoint that makes one RPC to another nameko process
(no signature, no database), driven by the same clients in the same two phases.
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
PAYMENTS_PATH = "/api/webhooks/payments"
BARE_PATH = "/hook"


class BareEdge:
    """Bare nameko: an HTTP entrypoint that answers with one RPC's reply."""
    from nameko.rpc import RpcProxy
    from nameko.web.handlers import http

    name = "bare_edge"
    store = RpcProxy("bare_store")

    @http("POST", BARE_PATH)
    def hook(self, request):
        return json.dumps(self.store.store(request.get_data(as_text=True)))

    @http("GET", "/health/ready")
    def ready(self, request):
        return "ready"


class BareStore:
    from nameko.rpc import rpc

    name = "bare_store"

    @rpc
    def store(self, body):
        return {"stored": bool(body)}


def _spawn(stack: ExitStack, logs: Path, config: dict, name: str, path: str, address: str) -> None:
    config_path = logs / f"{name}.yaml"
    config_path.write_text(yaml.safe_dump(dict(config, WEB_SERVER_ADDRESS=address)))
    log = open(logs / f"{name}.log", "w")
    command = [sys.executable, "-m", "nameko", "run", "--config", str(config_path), path]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log,
                            env=dict(os.environ, PYTHONWARNINGS="ignore"))
    stack.callback(lambda p=proc: (p.terminate(), p.wait(20)))


def start_bare(stack: ExitStack, amqp_uri: str) -> str:
    config = service_config(amqp_uri, {})
    logs = Path(tempfile.mkdtemp(prefix="bench-webhooks-bare-"))
    store_address, edge_address = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    _spawn(stack, logs, config, "bare_store", "bench.bench_webhooks:BareStore", store_address)
    _spawn(stack, logs, config, "bare_edge", "bench.bench_webhooks:BareEdge", edge_address)
    _wait_ready(f"http://{edge_address}/health/ready", logs / "bare_edge.log")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the RPC target is up too
        try:
            if requests.post(f"http://{edge_address}{BARE_PATH}", data=b"x", timeout=2).status_code == 200:
                return f"http://{edge_address}"
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the bare services never answered; see {logs}")


def start_stack(stack: ExitStack, amqp_uri: str) -> tuple[str, Store]:
    from services.payments import models
    from services.payments.service import PaymentsService
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
        _spawn(stack, logs, config, name, path, address)
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


def _worker(gateway: str, path: str, jobs: queue.Queue, results: list) -> None:
    host = gateway.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=30)
    while (job := jobs.get()) is not None:
        scheduled, body, headers = job
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, timeout=30)
            status = 0
        results.append((status, time.perf_counter() - scheduled))
    conn.close()


def run(gateway: str, signed: list, connections: int, rate: float | None,
        path: str = PAYMENTS_PATH) -> tuple[float, list]:
    """Send every webhook; at `rate` per second (open loop) or back to back. Returns (seconds, results)."""
    jobs, results = queue.Queue(), []
    threads = [threading.Thread(target=_worker, args=(gateway, path, jobs, results))
               for _ in range(connections)]
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


def drain(store: Store, expected: int, timeout: float = 180) -> float:
    """Wait until `expected` webhooks are stored and every one applied; returns how long that took."""
    from sqlalchemy import func, select

    from services.payments.models import ProviderEvent
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        with store.session() as session:
            stored = session.scalar(select(func.count()).select_from(ProviderEvent))
            pending = session.scalar(select(func.count()).select_from(ProviderEvent)
                                     .where(ProviderEvent.processed_at.is_(None)))
        if stored >= expected and not pending:
            return time.perf_counter() - start
        time.sleep(0.1)
    raise RuntimeError(f"accepted webhooks were not all stored and applied in time ({stored} of {expected})")


def phases(url: str, path: str, make, args, settle) -> tuple[float, float, float, int]:
    """One round: p50/p99 at the fixed rate, then accepted/s back to back; and the failures."""
    _, results = run(url, make(int(args.rate * args.seconds)), max(args.connections, 32), args.rate, path)
    failures = sum(1 for status, _ in results if status != 200)
    latencies = [seconds * 1000 for status, seconds in results if status == 200]
    settle()
    elapsed, burst = run(url, make(args.burst), args.connections, None, path)
    accepted = sum(1 for status, _ in burst if status == 200)
    return (percentile(latencies, 50), percentile(latencies, 99), accepted / elapsed,
            failures + args.burst - accepted)


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
        amqp_uri = stack.enter_context(temp_vhost())
        bare_url = start_bare(stack, amqp_uri)
        gateway, store = start_stack(stack, amqp_uri)
        sent = 300
        run(gateway, webhooks(store, sent), args.connections, None)  # warm up connections and pools
        drain(store, sent)
        plain = [(b'{"id": "bare"}', {"Content-Type": "application/json"})]
        run(bare_url, plain * 300, args.connections, None, BARE_PATH)
        ours, bare, lags, failures = [], [], [], 0
        at_rate = int(args.rate * args.seconds)
        for round_no in range(1, args.rounds + 1):
            bare.append(phases(bare_url, BARE_PATH, lambda n: plain * n, args, lambda: None)[:3])
            *figures, failed = phases(gateway, PAYMENTS_PATH, lambda n: webhooks(store, n), args,
                                      lambda done=sent + at_rate: drain(store, done))
            ours.append(figures)
            failures += failed
            sent += at_rate + args.burst
            lags.append(drain(store, sent))
            print(f"round {round_no}: at {args.rate:.0f}/s: p50 {figures[0]:5.1f} ms, p99 {figures[1]:5.1f} "
                  f"ms; back to back: {figures[2]:4.0f}/s, all applied {lags[-1]:.1f} s after; "
                  f"bare HTTP->RPC: p50 {bare[-1][0]:5.1f} ms, p99 {bare[-1][1]:5.1f} ms, "
                  f"{bare[-1][2]:4.0f}/s",
                  flush=True)
        p50, p99, rate = (statistics.median(f[i] for f in ours) for i in range(3))
        bare_p50, bare_p99, bare_rate = (statistics.median(f[i] for f in bare) for i in range(3))
        print(f"bare nameko HTTP->one RPC:  {bare_rate:5.0f} requests/s;  at {args.rate:.0f}/s "
              f"p50 {bare_p50:6.1f} ms  p99 {bare_p99:6.1f} ms")
        print(f"signed webhooks accepted:   {rate:5.0f} webhooks/s  ratio to bare {rate / bare_rate:4.2f};  "
              f"at {args.rate:.0f}/s p50 {p50:6.1f} ms  p99 {p99:6.1f} ms;  non-2xx: {failures}")
        print(f"(medians of {args.rounds} rounds, {args.connections} connections, {args.burst} per burst; "
              f"after a burst the last webhook was applied {statistics.median(lags):.1f} s later)")


if __name__ == "__main__":
    main()
