"""Liveness and readiness over HTTP, for operators and compose health checks."""
import json

from kombu import Connection
from nameko.dependency_providers import Config
from nameko.web.handlers import http


class HealthEndpoints:
    """Mixin: GET /health/live (the process serves) and /health/ready (db and broker reachable).

    The service must have a `uow` Database dependency.
    """

    config = Config()

    @http("GET", "/health/live")
    def health_live(self, request):
        return 200, {"Content-Type": "application/json"}, json.dumps({"status": "live"})

    @http("GET", "/health/ready")
    def health_ready(self, request):
        checks = {"database": _check(self.uow.ping),
                  "broker": _check(lambda: _ping_broker(self.config["AMQP_URI"]))}
        ready = all(value == "ok" for value in checks.values())
        body = json.dumps({"status": "ready" if ready else "not ready", "checks": checks})
        return (200 if ready else 503), {"Content-Type": "application/json"}, body


def _ping_broker(amqp_uri: str) -> None:
    with Connection(amqp_uri, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # a readiness probe reports, it does not raise
        return f"failed: {type(exc).__name__}"
    return "ok"
