"""Liveness and readiness over HTTP, for operators and compose health checks; with them, every
service's dead-letter RPC (shared/operations.py)."""
import json

from kombu import Connection
from nameko.web.handlers import http

from shared import deadletters
from shared.operations import DeadLetterEndpoints


class HealthEndpoints(DeadLetterEndpoints):
    """Mixin: GET /health/live (the process serves) and /health/ready (db and broker reachable,
    and how many dead letters are parked: they do not make a service unready).

    The service must have a `uow` Database dependency.
    """

    @http("GET", "/health/live")
    def health_live(self, request):
        return 200, {"Content-Type": "application/json"}, json.dumps({"status": "live"})

    @http("GET", "/health/ready")
    def health_ready(self, request):
        checks = {"database": _check(self.uow.ping),
                  "broker": _check(lambda: _ping_broker(self.config["AMQP_URI"]))}
        ready = all(value == "ok" for value in checks.values())
        body = json.dumps({"status": "ready" if ready else "not ready", "checks": checks,
                           "dead_letters": _parked(self.uow)})
        return (200 if ready else 503), {"Content-Type": "application/json"}, body


def _ping_broker(amqp_uri: str) -> None:
    with Connection(amqp_uri, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)


def _parked(uow) -> int | None:
    """Parked dead letters; None when the database cannot say."""
    try:
        return deadletters.count_parked(uow._store)
    except Exception:  # a readiness probe reports, it does not raise
        return None


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a readiness probe reports, it does not raise
        return f"failed: {type(exc).__name__}"
    return "ok"
