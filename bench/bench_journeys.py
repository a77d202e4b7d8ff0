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

`--saturate` drives enough patients at once (24 drivers, 48 journeys unless given) that the
system, not the driver, sets the pace, and prints where the CPU went while it drove: each
service process, the driver, the PostgreSQL backends of the run's databases, RabbitMQ, and
whatever else ran on the machine meanwhile (read from /proc).
Usage: python bench/bench_journeys.py [--journeys N] [--concurrency K] [--runs R] [--saturate]
"""
import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
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


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (and its threads) so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (every core, /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text()
                                                                  .split("\n", 1)[0].split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICKS


def _pids(running) -> dict[str, list[int]]:
    """The processes whose CPU the saturation run reports, by name."""
    groups = {name: [proc.pid] for name, proc in running.system.procs.items()}
    groups["driver (this process)"] = [os.getpid()]
    engine = create_engine(next(iter(running.databases.values())))
    try:
        with engine.connect() as conn:
            names = [url.rsplit("/", 1)[1] for url in running.databases.values()]
            groups["postgresql (the run's backends)"] = list(conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = ANY(:names)"), {"names": names}).scalars())
    finally:
        engine.dispose()
    groups["rabbitmq (shared node)"] = [int(pid) for pid in os.popen("pgrep -x beam.smp").read().split()]
    return groups


def cpu_shares(running, work) -> tuple[object, dict[str, float], float]:
    """Run `work()`; its result, each process group's CPU in cores, and the rest of the machine's."""
    groups = _pids(running)
    before = {name: sum(_cpu_seconds(pid) for pid in pids) for name, pids in groups.items()}
    busy, started = _machine_busy_seconds(), time.monotonic()
    result = work()
    wall = time.monotonic() - started
    used = {name: (sum(_cpu_seconds(pid) for pid in pids) - before[name]) / wall
            for name, pids in groups.items()}
    other = (_machine_busy_seconds() - busy) / wall - sum(used.values())
    return result, used, max(0.0, other)


def one_run(journeys: int, concurrency: int, saturate: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as workdir, running_system(Path(workdir)) as running:
        cpu = {}
        if saturate:
            (seconds, ids), cpu, other = cpu_shares(running, lambda: drive(running, journeys, concurrency))
            cpu["everything else on the machine"] = other
        else:
            seconds, ids = drive(running, journeys, concurrency)
        running.wait_quiet(timeout=60)
        committed, reacted, delivered = read_events(running.databases, set(ids))
        latencies = [(reacted[e] - committed[e]).total_seconds() for e in committed if e in reacted]
        return {"journeys_per_minute": journeys / seconds * 60,
                "events_per_second": len(committed) / seconds,
                "deliveries_per_second": delivered / seconds,
                "events_per_journey": len(committed) / journeys,
                "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
                **{f"cpu:{name}": cores for name, cores in cpu.items()}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bare-events", type=int, default=2000)
    parser.add_argument("--saturate", action="store_true",
                        help="enough drivers that the system is the limit; CPU of each process")
    args = parser.parse_args()
    args.concurrency = args.concurrency or (24 if args.saturate else 4)
    args.journeys = args.journeys or (2 * args.concurrency if args.saturate else 12)
    logging.getLogger().setLevel(logging.WARNING)  # the figures, not the services' chatter
    runs = [one_run(args.journeys, args.concurrency, args.saturate) for _ in range(args.runs)]
    system = {key: statistics.median(run.get(key, 0.0) for run in runs) for key in runs[0]}
    rate = max(1, round(system["events_per_second"]))
    with temp_vhost() as amqp_uri:
        bare = statistics.median(run_bare(amqp_uri, args.bare_events)[0] for _ in range(args.runs))
        bare_p50, bare_p99 = bare_latency_ms(amqp_uri, max(rate * 5, 50), rate, args.runs)
    report(args, system, bare, bare_p50, bare_p99, rate)


def report(args, system: dict, bare: float, bare_p50: float, bare_p99: float, rate: int) -> None:
    s = system
    mode = " (saturation: the system is the limit)" if args.saturate else ""
    print(f"whole journeys (form -> follow-up plan), {args.concurrency} at a time, on PostgreSQL{mode}:")
    print(f"  {s['journeys_per_minute']:8.1f} complete journeys/min")
    print(f"  {s['events_per_second']:8.1f} events/s committed ({s['events_per_journey']:.0f} a journey), "
          f"{s['deliveries_per_second']:.1f} deliveries/s handled")
    print(f"  commit -> last reaction   p50 {s['p50_ms']:7.1f} ms  p99 {s['p99_ms']:7.1f} ms")
    print("bare nameko dispatch -> handler, no database, same machine and broker:")
    print(f"  {bare:8.0f} events/s at full speed (the system's event rate is "
          f"{s['events_per_second'] / bare:.2%} of it)")
    print(f"  at {rate:4d} events/s        p50 {bare_p50:7.1f} ms  p99 {bare_p99:7.1f} ms")
    print(f"  ratio system / bare: p50 {s['p50_ms'] / bare_p50:.1f}x  p99 {s['p99_ms'] / bare_p99:.1f}x")
    cpu = sorted(((key[4:], cores) for key, cores in s.items() if key.startswith("cpu:")),
                 key=lambda item: -item[1])
    if cpu:
        cores = os.cpu_count() or 1
        print(f"CPU while driving (cores of {cores}; share of the machine):")
        for name, used in cpu:
            print(f"  {name:34} {used:5.2f}  {used / cores:6.1%}")
    print(f"(medians of {args.runs} runs of {args.journeys} journeys each)")


if __name__ == "__main__":
    main()
