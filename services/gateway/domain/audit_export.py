"""The access log for an audit: as CSV, and as FHIR R4 AuditEvent resources (the chain's hashes travel
with each entry, so an auditor can check the chain outside Carepath too)."""
import csv
import io

from services.gateway.domain.audit_chain import instant

CSV_COLUMNS = ("id", "at", "actor", "role", "on_behalf_of", "journey_id", "action", "method", "path",
               "outcome", "status", "credential", "detail", "detail_digest", "prev_hash", "hash")
# FHIR R4 AuditEvent.action: the REST method's kind of access
ACTIONS = {"GET": "R", "HEAD": "R", "POST": "C", "PUT": "U", "PATCH": "U", "DELETE": "D"}
EVENT_TYPE = {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest",
              "display": "RESTful Operation"}
PERSON = {"system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1",
          "display": "Person"}
ON_BEHALF = {"text": "on behalf of"}   # R4 has no agent.onBehalfOf (R5 has): a second agent says it


def as_csv(entries: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([instant(entry["at"]) if name == "at" else _cell(entry[name])
                         for name in CSV_COLUMNS])
    return out.getvalue()


def _cell(value) -> str:
    """No cell starts a formula when the file is opened in a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def audit_event(entry: dict) -> dict:
    agents = [{"who": {"identifier": {"value": entry["actor"]}}, "requestor": True,
               "role": [{"text": entry["role"]}]}]
    if entry["credential"]:
        agents[0]["altId"] = entry["credential"]
    if entry["on_behalf_of"]:
        agents.append({"type": ON_BEHALF, "who": {"identifier": {"value": entry["on_behalf_of"]}},
                       "requestor": False})
    entity = {"what": {"identifier": {"value": entry["path"]}}, "name": entry["action"],
              "detail": [{"type": "prev_hash", "valueString": entry["prev_hash"]},
                         {"type": "hash", "valueString": entry["hash"]}]}
    if entry["detail"]:
        entity["description"] = entry["detail"]
    entities = [entity]
    if entry["journey_id"]:
        entities.insert(0, {"what": {"reference": f"Patient/{entry['journey_id']}"}, "type": PERSON})
    return {"resourceType": "AuditEvent", "id": f"access-{entry['id']}", "type": EVENT_TYPE,
            "action": ACTIONS.get(entry["method"].upper(), "E"), "recorded": instant(entry["at"]),
            "outcome": "0" if entry["outcome"] == "allowed" else "4", "outcomeDesc": entry["outcome"],
            "agent": agents, "source": {"observer": {"display": "Carepath gateway"}}, "entity": entities}


def audit_bundle(entries: list[dict]) -> dict:
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"fullUrl": f"urn:carepath:access-log:{e['id']}", "resource": audit_event(e)}
                      for e in entries]}
