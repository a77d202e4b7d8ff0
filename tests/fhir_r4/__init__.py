"""The official FHIR R4 JSON schema, to validate what we export against the standard itself rather than
against the code that built it (see SOURCE.md for where the schema file comes from)."""
import gzip
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft6Validator

SCHEMA = Path(__file__).with_name("fhir.schema.json.gz")


@cache
def _validator() -> Draft6Validator:
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as schema:
        return Draft6Validator(json.load(schema))


def problems(resource: dict) -> list[str]:
    """Every way `resource` (a Bundle, or any resource) breaks the R4 schema, as 'path: message'.
    A Bundle's entries are checked each against its own resource type's definition too, since the
    schema's oneOf over every resource type reports only that none matched."""
    found = [_say(error) for error in _validator().iter_errors(resource)]
    for n, entry in enumerate(resource.get("entry", []) if resource.get("resourceType") == "Bundle" else []):
        kind = entry["resource"].get("resourceType")
        definition = {"$ref": f"#/definitions/{kind}", "definitions": _validator().schema["definitions"]}
        found += [f"entry/{n} ({kind}) {_say(error)}"
                  for error in Draft6Validator(definition).iter_errors(entry["resource"])]
    return found


def _say(error) -> str:
    return f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:300]}"
