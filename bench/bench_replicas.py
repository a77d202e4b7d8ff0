"""Journeys per minute with one and with two instances of every service, in one run on this machine.

Each round starts the whole system twice, as the end-to-end tests do (every service its own process,
the sandbox providers, fresh PostgreSQL databases and a RabbitMQ vhost): once with one instance of each
service, once with two (competing consumers on the same queues and databases; the gateway's instances
share its port). Each time it drives `--journeys` sample patients from the public form to a scheduled
surgery with flights and hotels confirmed (the fault tests' path), `--concurrency` at a time, and times
them. The baseline is the single-instance system of the same round; the ratio is two over one. The order
alternates between rounds, so neither always runs on a machine warmed (or loaded) by the other.
Usage: python bench/bench_replicas.py [--journeys N] [--concurrency K] [--rounds R]
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

os.environ.setdefault("GATEWAY_PASSWORD_TIME_COST", "1")     # sign-ins are not what is measured
os.environ.setdefault("GATEWAY_PASSWORD_MEMORY_KIB", "1024")

from tests.e2e.system import running_system  # noqa: E402


def one_system(replicas: int, journeys: int, concurrency: int) -> float:
    """Complete journeys per minute through a fresh system with `replicas` instances of each service."""
    with tempfile.TemporaryDirectory() as workdir, \
            running_system(Path(workdir), replicas=replicas) as running:
        driver = running.driver(source_address="127.0.2.2", timeout=180)
        started = time.monotonic()
        with ThreadPoolExecutor(concurrency, thread_name_prefix="journey") as pool:
            list(pool.map(driver.to_surgery_scheduled, range(1, journeys + 1)))
        return journeys / (time.monotonic() - started) * 60


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=16)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    figures: dict[int, list[float]] = {1: [], 2: []}
    for round_ in range(args.rounds):
        for replicas in ((1, 2) if round_ % 2 == 0 else (2, 1)):
            figures[replicas].append(one_system(replicas, args.journeys, args.concurrency))
            print(f"round {round_ + 1}: {replicas} instance(s) of each service: "
                  f"{figures[replicas][-1]:.1f} journeys/min", flush=True)
    one, two = statistics.median(figures[1]), statistics.median(figures[2])
    print(f"journeys (form -> surgery scheduled, itinerary confirmed), {args.concurrency} at a time, "
          f"on PostgreSQL, {os.cpu_count()} cores:")
    print(f"  one instance of each service (baseline)  {one:7.1f} journeys/min")
    print(f"  two instances of each service            {two:7.1f} journeys/min")
    print(f"  ratio two / one: {two / one:.2f}x")
    print(f"(medians of {args.rounds} rounds of {args.journeys} journeys each; "
          f"load average at the end {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
