"""The API's route table: each route declares its roles, schemas and handler.

Route modules in services/gateway/adapters/routes/ register with `@route(...)`; the
gateway dispatches every /api request through this one table, so role
checks, validation, access logging and the OpenAPI document cannot drift
from what the handlers do.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import Schema
from werkzeug.routing import Map, Rule

from services.gateway.domain.roles import PUBLIC

ROUTES: list["Route"] = []
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(eq=False)
class Route:
    method: str
    path: str
    handler: Callable
    roles: frozenset
    summary: str
    tag: str
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    response: type[Schema] | None = None
    many: bool = False
    status: int = 200
    raw_body: bool = False          # the handler gets the raw bytes (signed webhooks)
    max_body: int = 1024 * 1024
    body_name: str = "request body"  # what a too large body is called: "The file is larger than ..."
    # (requests, per seconds) per client, or a function of the config giving them
    rate_limit: tuple[int, float] | Callable[[dict], tuple[int, float]] | None = None
    patient_param: str | None = "journey_id"
    patient_scope: str = "journey"   # a patient link scoped to e.g. "questionnaire" reaches only those
    responses: dict = field(default_factory=dict)
    # What a caller does through the route, as a verb phrase: "read an invoice and its payments".
    # A role that may not is told "<Role> may not <action>." (every staff route declares one).
    action: str = ""
    # False: an Idempotency-Key is ignored and no answer is kept (e.g. one that holds a credential)
    idempotent: bool = True
    # The answer's media type: JSON, or a file the handler returns as a Download (text/csv)
    produces: str = "application/json"

    @property
    def public(self) -> bool:
        return PUBLIC in self.roles

    @property
    def takes_idempotency_key(self) -> bool:
        return self.idempotent and self.method in STATE_CHANGING

    @property
    def name(self) -> str:
        return self.handler.__name__

    def limit(self, config: dict) -> tuple[int, float] | None:
        return self.rate_limit(config) if callable(self.rate_limit) else self.rate_limit


def route(method: str, path: str, *, roles, summary: str, tag: str, **options):
    """Register an /api route. `roles` is a role, or a set of roles, that may call it."""
    roles = frozenset([roles]) if isinstance(roles, str) else frozenset(roles)

    def register(handler: Callable) -> Callable:
        ROUTES.append(Route(method=method, path=path, handler=handler, roles=roles,
                            summary=summary, tag=tag, **options))
        return handler
    return register


def load_routes() -> list[Route]:
    import importlib
    import pkgutil

    import services.gateway.adapters.routes as package
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return ROUTES


def url_map(routes: list[Route]) -> Map:
    return Map([Rule(r.path, methods=[r.method], endpoint=r) for r in routes],
               strict_slashes=False)
