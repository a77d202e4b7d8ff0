"""The OpenAPI 3 document, generated from the route table and its marshmallow schemas."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.gateway.adapters.routing import Route

ERROR_SCHEMA = {"type": "object", "required": ["error", "message"],
                "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                               "fields": {"type": "object"}}}
_CONVERTER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$"},
    "description": "Send the same unique key (e.g. a UUID) when retrying: the request has its effect once, "
                   "and a repeat with the same body gets the first answer (status and body) with the header "
                   "`Idempotent-Replayed: true`. Keys are kept 24 hours (configurable) per caller, method "
                   "and path. A 5xx answer is not kept: retry with the same key."}
REPLAYED = {"Idempotent-Replayed": {"description": "`true` when this is the kept answer to an earlier "
                                                   "request with the same Idempotency-Key",
                                    "schema": {"type": "string", "enum": ["true"]}}}
KEY_RESPONSES = {409: "A request with this Idempotency-Key is still running: try again soon",
                 422: "This Idempotency-Key was used for another request (a different body)"}
UNAVAILABLE = {"description": "A service needed for this request is not running or did not answer in time",
               "headers": {"Retry-After": {"description": "Seconds to wait before trying again",
                                           "schema": {"type": "integer"}}},
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def build_spec(routes: list[Route]) -> dict:
    spec = APISpec(title="Carepath API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Care coordination for the osseointegration journey."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    spec.components.schema("Error", ERROR_SCHEMA)
    paths: dict[str, dict] = {}
    for r in routes:
        path = "/api" + _CONVERTER.sub(r"{\1}", r.path)
        paths.setdefault(path, {})[r.method.lower()] = _operation(r)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(r: Route) -> dict:
    operation = {
        "summary": r.summary, "tags": [r.tag], "operationId": r.name,
        "description": "Roles: " + ", ".join(sorted(r.roles)),
        "responses": {str(r.status): _success(r), "default": _error("Error")},
    }
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
              for name in _CONVERTER.findall(r.path)]
    if r.query is not None:
        params.append({"in": "query", "schema": r.query})
    if r.takes_idempotency_key:
        params.append(IDEMPOTENCY_KEY)
    if params:
        operation["parameters"] = params
    if r.body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": r.body}}}
    elif r.raw_body:
        operation["requestBody"] = {"required": True, "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    if not r.public:
        operation["security"] = [{"bearer": []}]
    for status, description in r.responses.items():
        operation["responses"][str(status)] = (dict(_success(r), description=description) if status < 400
                                               else _error("Error", description))
    if r.takes_idempotency_key:
        operation["responses"][str(r.status)]["headers"] = REPLAYED
        for status, description in KEY_RESPONSES.items():
            declared = r.responses.get(status)
            operation["responses"][str(status)] = _error(
                "Error", f"{declared}; or: {description}" if declared else description)
    operation["responses"]["503"] = UNAVAILABLE
    return operation


def _success(r: Route) -> dict:
    if r.produces != "application/json":
        return {"description": "OK", "content": {r.produces: {"schema": {"type": "string"}}}}
    if r.response is None:
        return {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    schema = {"type": "array", "items": r.response} if r.many else r.response
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _error(name: str, description: str = "An error, with a message saying what is wrong") -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}
