import requests
from openapi_spec_validator import validate

from services.gateway.tests.conftest import PASSWORD  # noqa: F401  (fixtures)


def test_the_openapi_document_is_valid_and_lists_every_route(gateway):
    base, _, _ = gateway
    spec = requests.get(f"{base}/openapi.json").json()
    validate(spec)
    assert "/api/auth/token" in spec["paths"]
    assert spec["paths"]["/api/me"]["get"]["security"] == [{"bearer": []}]


def test_the_swagger_ui_is_served_offline(gateway):
    base, _, _ = gateway
    page = requests.get(f"{base}/docs")
    assert page.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in page.text
    assert requests.get(f"{base}/docs/static/swagger-ui-bundle.js").status_code == 200
