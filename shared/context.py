"""Who asked, and as part of what: context that follows a call across services."""
from nameko.extensions import DependencyProvider


class CallContext(DependencyProvider):
    """Injects the worker's context data (propagated by nameko on RPC calls).

    Keys used: `actor` (staff id or "patient:<journey>"), `correlation_id`, `causation_id`
    ("request:<id>"), and `command_id`: the gateway gives every RPC of a state-changing request
    one (from the client's Idempotency-Key, else the request's own), and a service's unit of work
    records it with the command's effect, so a redelivered or repeated command has its effect
    once (shared/db.py).
    """

    def get_dependency(self, worker_ctx):
        return worker_ctx.data
