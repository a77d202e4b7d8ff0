"""Whole journeys through every service on this machine, on PostgreSQL: prints figures and ratios.

Each run starts the system as `make run` does (every service its own process, the sandbox
providers), on fresh PostgreSQL databases and a RabbitMQ vhost of its own, and drives sample
patients from the public form to the tele-follow-up plan, `--concurrency` at a time, through
the HTTP API and the sandboxes. Then it reads every service's outbox and inbox:

- complete journeys per minute;
- events per second: facts committed by every service, and their deliveries to consumers;
- commit -> last reaction p50/p99: from an event's commit in its producer's outbox to the
  commit of the last consumer that handled it (each service records that in its inbox).

Beside them, from the same run: bare nameko dispatch -> @event_handler, no database (the
kernel benchmark's bare services), as throughput and as latency at the system's event rate.
Each figure is the median of `--runs` runs.
Usage: python bench/bench_journeys.py [--journeys N] [--concurrency K] [--runs R]
"""
import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.bench_kernel import bare_latency_ms, percentile, run_bare  # noqa: E402
from shared.testing.infra import temp_vhost  # noqa: E402
from tests.e2e.system import running_system  # noqa: E402


def drive(running, journeys: int, concurrency: int) -> tuple[float, list[str]]:
    """Seconds for every journey to reach its follow-up plan, and their journey ids."""
    driver = running.driver(source_address="127.0.2.1", timeout=120)
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency, thread_name_prefix="journey") as pool:
        patients = list(pool.map(driver.whole_journey, range(1, journeys + 1)))
    return time.monotonic() - started, [p.journey_id for p in patients]


def read_events(databases: dict[str, str], journeys: set[str]) -> tuple[dict, dict, int]:
    """Every event of these journeys with its commit time; the last time any consumer handled
    each (events nobody consumes have no reaction to wait for); and the deliveries handled."""
    committed, reacted, handled = {}, {}, []
    for url in databases.values():
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                for event_id, journey, created in conn.execute(
                        text("SELECT event_id, journey_id, created_at FROM outbox")):
                    if journey in journeys:
                        committed[event_id] = created
                handled += conn.execute(text("SELECT event_id, processed_at FROM inbox")).all()
        finally:
            engine.dispose()
    for event_id, processed in handled:
        reacted[event_id] = max(processed, reacted.get(event_id, processed))
    return committed, reacted, sum(1 for event_id, _ in handled if event_id in committed)


def one_run(journeys: int, concurrency: int) -> dict:
    with tempfile.TemporaryDirectory() as workdir, running_system(Path(workdir)) as running:
        seconds, ids = drive(running, journeys, concurrency)
        running.wait_quiet(timeout=60)
        committed, reacted, delivered = read_events(running.databases, set(ids))
        latencies = [(reacted[e] - committed[e]).total_seconds() for e in committed if e in reacted]
        return {"journeys_per_minute": journeys / seconds * 60,
                "events_per_second": len(committed) / seconds,
                "deliveries_per_second": delivered / seconds,
                "events_per_journey": len(committed) / journeys,
                "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=12)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bare-events", type=int, default=2000)
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)  # the figures, not the services' chatter
    runs = [one_run(args.journeys, args.concurrency) for _ in range(args.runs)]
    system = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    rate = max(1, round(system["events_per_second"]))
    with temp_vhost() as amqp_uri:
        bare = statistics.median(run_bare(amqp_uri, args.bare_events)[0] for _ in range(args.runs))
        bare_p50, bare_p99 = bare_latency_ms(amqp_uri, max(rate * 5, 50), rate, args.runs)
    report(args, system, bare, bare_p50, bare_p99, rate)


def report(args, system: dict, bare: float, bare_p50: float, bare_p99: float, rate: int) -> None:
    s = system
    print(f"whole journeys (form -> follow-up plan), {args.concurrency} at a time, on PostgreSQL:")
    print(f"  {s['journeys_per_minute']:8.1f} complete journeys/min")
    print(f"  {s['events_per_second']:8.1f} events/s committed ({s['events_per_journey']:.0f} a journey), "
          f"{s['deliveries_per_second']:.1f} deliveries/s handled")
    print(f"  commit -> last reaction   p50 {s['p50_ms']:7.1f} ms  p99 {s['p99_ms']:7.1f} ms")
    print("bare nameko dispatch -> handler, no database, same machine and broker:")
    print(f"  {bare:8.0f} events/s at full speed (the system's event rate is "
          f"{s['events_per_second'] / bare:.2%} of it)")
    print(f"  at {rate:4d} events/s        p50 {bare_p50:7.1f} ms  p99 {bare_p99:7.1f} ms")
    print(f"  ratio system / bare: p50 {s['p50_ms'] / bare_p50:.1f}x  p99 {s['p99_ms'] / bare_p99:.1f}x")
    print(f"(medians of {args.runs} runs of {args.journeys} journeys each)")


if __name__ == "__main__":
    main()
