"""Who asked, and as part of what: context that follows a call across services."""
from nameko.extensions import DependencyProvider


class CallContext(DependencyProvider):
    """Injects the worker's context data (propagated by nameko on RPC calls).

    Keys used: `actor` (staff id or "patient:<journey>"), `correlation_id`.
    """

    def get_dependency(self, worker_ctx):
        return worker_ctx.data
