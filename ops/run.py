"""The run command: migrate, declare queues, start every process, stop them on Ctrl-C."""
import importlib
import importlib.util
import os
import signal
import subprocess
import sys
import time

from ops.services import SANDBOXES, SERVICES
from shared import topology
from shared.config import ROOT, database_url, load_config
from shared.migrations import upgrade

# Eventlet announces its deprecation in every process; it says nothing to an operator.
QUIET = "ignore::DeprecationWarning"


def available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def service_classes():
    for spec in SERVICES:
        module, cls = spec.path.split(":")
        if available(module):
            yield spec, getattr(importlib.import_module(module), cls)


def broker_reachable(amqp_uri: str) -> bool:
    from kombu import Connection
    try:
        with Connection(amqp_uri, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


def prepare(config: dict) -> list:
    """Migrate every service's database and declare every handler queue."""
    started = list(service_classes())
    for spec, _ in started:
        upgrade(spec.name, database_url(config, spec.name))
    topology.declare(config["AMQP_URI"], [cls for _, cls in started])
    return started


def main(argv=None) -> int:
    config = load_config()
    if not broker_reachable(config["AMQP_URI"]):
        print(f"RabbitMQ is not reachable at {_safe(config['AMQP_URI'])}: start it with "
              "`rabbitmq-server -detached` (or point AMQP_URI at a running broker).", file=sys.stderr)
        return 1
    started = prepare(config)
    procs: list[tuple[str, subprocess.Popen]] = []
    for spec, _ in started:
        env = dict(os.environ, PYTHONWARNINGS=QUIET,
                   WEB_SERVER_ADDRESS=f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{spec.port}")
        procs.append((spec.name, subprocess.Popen(
            [sys.executable, "-m", "nameko", "run", "--config", str(ROOT / "config.yaml"), spec.path],
            cwd=ROOT, env=env)))
    gateway = f"http://127.0.0.1:{SERVICES[0].port}"
    if os.environ.get("SANDBOXES", "on") == "on":
        for box in SANDBOXES:
            if available(box.module):
                procs.append((box.name, subprocess.Popen(
                    [sys.executable, "-m", box.module, "--port", str(box.port), "--gateway", gateway],
                    cwd=ROOT, env=dict(os.environ, PYTHONWARNINGS=QUIET))))
    print(f"Carepath is running: API {gateway}/api  docs {gateway}/docs  board {gateway}/ui/board\n"
          f"Processes: {', '.join(name for name, _ in procs)}. Press Ctrl-C to stop.", flush=True)
    return supervise(procs)


def supervise(procs) -> int:
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for name, proc in procs:
            if proc.poll() is not None:
                print(f"{name} exited with code {proc.returncode}; stopping everything.", file=sys.stderr)
                stopping, code = True, 1
                break
        time.sleep(0.5)
    for _, proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for _, proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
    print("Carepath stopped.")
    return code


def _safe(uri: str) -> str:
    """The URI without its password, for messages."""
    if "@" in uri and "//" in uri:
        scheme, rest = uri.split("//", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}//{creds.split(':')[0]}:***@{host}"
    return uri


if __name__ == "__main__":
    sys.exit(main())
