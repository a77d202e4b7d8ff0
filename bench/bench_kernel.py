"""Benchmark of the event kernel on this machine: prints figures and ratios.

The producer (this process) commits events; the consumer is a service process
of its own, as in production.

- reliable throughput: events committed through the outbox, published with
  confirms, consumed by an idempotent handler that writes to the database
  (PostgreSQL and SQLite);
- hop latency p50/p99 (commit -> handler committed) at a fixed 200 events/s;
- bare nameko: EventDispatcher -> @event_handler, no database.
Each figure is the median of several runs. Usage: python bench/bench_kernel.py [--events N]
"""
import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marshmallow import Schema, fields  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402
from nameko.events import EventDispatcher, event_handler  # noqa: E402
from nameko.rpc import rpc  # noqa: E402
from nameko.standalone.rpc import ServiceRpcProxy  # noqa: E402
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, func, insert, select  # noqa: E402

from shared import topology  # noqa: E402
from shared.db import Database, Store, UnitOfWork  # noqa: E402
from shared.events import contract  # noqa: E402
from shared.handlers import handles  # noqa: E402
from shared.tables import add_kernel_tables  # noqa: E402
from shared.testing.cluster import ServiceProcess, service_config  # noqa: E402
from shared.testing.infra import temp_pg_database, temp_vhost  # noqa: E402

metadata = MetaData()
kernel = add_kernel_tables(metadata)
effects = Table("bench_effects", metadata, Column("id", Integer, primary_key=True),
                Column("event_id", String(36), nullable=False),
                Column("sent", Float, nullable=False), Column("handled", Float, nullable=False))
SEEN: list[tuple[float, float]] = []  # bare handler (sent, handled) times (consumer process)
WORKERS = 10                # producers at once: nameko's default max_workers


@contract("bench_tick", 1)
class BenchTick(Schema):
    sent = fields.Float(required=True)


class BenchProducer:
    name = "bench_producer"
    uow = Database(kernel)

    @rpc
    def ping(self):
        return "pong"


class BenchConsumer:
    name = "bench_consumer"
    uow = Database(kernel)

    @rpc
    def ping(self):
        return "pong"

    @handles("bench_producer", "bench_tick")
    def on_tick(self, event):
        with self.uow as uow:
            uow.session.execute(insert(effects).values(
                event_id=event.event_id, sent=event.payload["sent"], handled=time.time()))


class BareProducer:
    name = "bare_producer"
    dispatch = EventDispatcher()

    @rpc
    def burst(self, count):
        for _ in range(count):
            self.dispatch("bare_tick", {"sent": time.time()})

    @rpc
    def steady(self, count, rate):
        """One event every 1/rate seconds (the latency runs)."""
        start = time.time()
        for n in range(count):
            eventlet.sleep(max(0.0, start + n / rate - time.time()))
            self.dispatch("bare_tick", {"sent": time.time()})


class BareConsumer:
    name = "bare_consumer"

    @rpc
    def ping(self):
        return "pong"

    @event_handler("bare_producer", "bare_tick")
    def on_tick(self, payload):
        SEEN.append((payload["sent"], time.time()))

    @rpc
    def seen(self):
        return len(SEEN), (SEEN[-1][1] if SEEN else None)

    @rpc
    def latencies(self):
        return [handled - sent for sent, handled in SEEN]


def _consumer_process(path: str, config: dict, name: str) -> ServiceProcess:
    """The consumer runs as its own process, as services do (the producer is this one)."""
    proc = ServiceProcess(path, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0")).start()
    deadline = time.time() + 60
    while True:
        try:
            with ServiceRpcProxy(name, config, timeout=2) as proxy:
                proxy.ping()
            return proc
        except Exception:
            if time.time() > deadline or proc.proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"{name} did not start") from None
            time.sleep(0.2)


def _wait_rows(store: Store, count: int, timeout: float = 300) -> list:
    deadline = time.time() + timeout
    while True:
        with store.session() as session:
            done = session.scalar(select(func.count()).select_from(effects))
            if done >= count:
                return session.execute(select(effects.c.sent, effects.c.handled)).all()
        if time.time() > deadline:
            raise RuntimeError(f"only {done} of {count} events arrived")
        eventlet.sleep(0.05)


def _commit(producer_db: Database) -> None:
    uow = UnitOfWork(producer_db.store, "bench_producer", producer_db.relay.wake)
    with uow:
        uow.emit("bench_tick", {"sent": time.time()}, str(uuid.uuid4()))


def run_reliable(amqp_uri, producer_url, consumer_url, events, rate=None):
    """Events/s from the first commit to the last handler commit, and each event's hop latency."""
    for url in (producer_url, consumer_url):
        store = Store(url, kernel)
        metadata.create_all(store.engine)
        store.dispose()
    config = service_config(amqp_uri, {"bench_producer": producer_url, "bench_consumer": consumer_url})
    topology.declare(amqp_uri, [BenchConsumer])
    consumer = _consumer_process("bench.bench_kernel:BenchConsumer", config, "bench_consumer")
    producer = ServiceContainer(BenchProducer, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    producer.start()
    db = next(d for d in producer.dependencies if isinstance(d, Database))
    results = Store(consumer_url, kernel)
    try:
        start = time.time()
        if rate:  # a steady stream, one commit every 1/rate seconds
            for n in range(events):
                eventlet.sleep(max(0.0, start + n / rate - time.time()))
                _commit(db)
        else:  # as fast as the service's workers can commit, WORKERS at a time
            pool = eventlet.GreenPool(WORKERS)
            for _ in pool.imap(lambda _: _commit(db), range(events)):
                pass
        rows = _wait_rows(results, events)
        return events / (max(r.handled for r in rows) - start), [r.handled - r.sent for r in rows]
    finally:
        results.dispose()
        producer.stop()
        consumer.stop()


def run_bare(amqp_uri, events, rate=None):
    """Events/s from nameko's EventDispatcher to a plain @event_handler in another process, and
    each event's dispatch->handler latency (at `rate` events/s, when given)."""
    config = service_config(amqp_uri, {})
    topology.declare(amqp_uri, [BareConsumer])
    consumer = _consumer_process("bench.bench_kernel:BareConsumer", config, "bare_consumer")
    producer = ServiceContainer(BareProducer, dict(config, WEB_SERVER_ADDRESS="127.0.0.1:0"))
    producer.start()
    try:
        with ServiceRpcProxy("bare_consumer", config) as counter:
            start = time.time()
            with ServiceRpcProxy("bare_producer", config, timeout=600) as proxy:
                if rate:
                    proxy.steady(events, rate)
                else:  # WORKERS bursts at once
                    replies = [proxy.burst.call_async(events // WORKERS) for _ in range(WORKERS)]
                    for reply in replies:
                        reply.result()
            deadline = time.time() + 300
            expected = events if rate else events // WORKERS * WORKERS
            while (seen := counter.seen())[0] < expected:
                if time.time() > deadline:
                    raise RuntimeError(f"only {seen[0]} of {expected} events arrived")
                eventlet.sleep(0.05)
            return expected / (seen[1] - start), counter.latencies()
    finally:
        producer.stop()
        consumer.stop()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def bare_latency_ms(amqp_uri, events, rate, runs) -> tuple[float, float]:
    """Bare nameko's dispatch->handler p50 and p99 at `rate` events/s: medians of `runs` runs."""
    runs = [run_bare(amqp_uri, events, rate=rate)[1] for _ in range(runs)]
    return (statistics.median(percentile(run, 50) * 1000 for run in runs),
            statistics.median(percentile(run, 99) * 1000 for run in runs))


def measure(backend, amqp_uri, events, runs, rate_events):
    throughputs, p50s, p99s = [], [], []
    for _ in range(runs):
        with _databases(backend) as (producer_url, consumer_url):
            throughputs.append(run_reliable(amqp_uri, producer_url, consumer_url, events)[0])
        with _databases(backend) as (producer_url, consumer_url):
            _, latency = run_reliable(amqp_uri, producer_url, consumer_url, rate_events, rate=200)
        p50s.append(percentile(latency, 50) * 1000)
        p99s.append(percentile(latency, 99) * 1000)
    return statistics.median(throughputs), statistics.median(p50s), statistics.median(p99s)


class _databases:
    def __init__(self, backend):
        self.backend = backend

    def __enter__(self):
        if self.backend == "sqlite":
            self.tmp = tempfile.TemporaryDirectory()
            return f"sqlite:///{self.tmp.name}/p.db", f"sqlite:///{self.tmp.name}/c.db"
        self.pg = [temp_pg_database(), temp_pg_database()]
        return tuple(cm.__enter__() for cm in self.pg)

    def __exit__(self, *exc):
        if self.backend == "sqlite":
            self.tmp.cleanup()
        else:
            for cm in self.pg:
                cm.__exit__(None, None, None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-seconds", type=float, default=5.0)
    args = parser.parse_args()
    rate_events = int(200 * args.latency_seconds)
    with temp_vhost() as amqp_uri:
        bare = statistics.median(run_bare(amqp_uri, args.events)[0] for _ in range(args.runs))
        bare_p50, bare_p99 = bare_latency_ms(amqp_uri, rate_events, 200, args.runs)
        print(f"bare nameko dispatch->handler (no db): {bare:8.0f} events/s                    "
              f"hop latency at 200/s p50 {bare_p50:6.1f} ms  p99 {bare_p99:6.1f} ms")
        for backend in ("postgresql", "sqlite"):
            rate, p50, p99 = measure(backend, amqp_uri, args.events, args.runs, rate_events)
            print(f"reliable on {backend:10}: {rate:8.0f} events/s  ratio to bare {rate / bare:5.2f}  "
                  f"hop latency at 200/s p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    print(f"(medians of {args.runs} runs, {args.events} events per throughput run, "
          f"{rate_events} events per latency run)")


if __name__ == "__main__":
    main()
