"""The API's own description: the OpenAPI document, and Swagger UI served offline from its package."""
import json
import mimetypes
from pathlib import Path

import swagger_ui_bundle
from werkzeug.wrappers import Response

from services.gateway.adapters.openapi import build_spec
from services.gateway.adapters.routing import load_routes, url_map

ROUTES = load_routes()
URL_MAP = url_map(ROUTES)
SPEC = json.dumps(build_spec(ROUTES))
SWAGGER_DIR = Path(swagger_ui_bundle.swagger_ui_path)
DOCS_PAGE = (Path(__file__).parent / "docs.html").read_text()


def openapi_document():
    return 200, {"Content-Type": "application/json"}, SPEC


def docs_page():
    return 200, {"Content-Type": "text/html; charset=utf-8"}, DOCS_PAGE


def swagger_asset(name: str):
    target = SWAGGER_DIR / name
    if "/" in name or not target.is_file():
        return 404, "not found"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(target.read_bytes(), content_type=content_type)
