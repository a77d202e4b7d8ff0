"""The screening questionnaire the patient submitted (the Q-TFA-style prosthesis-use questionnaire), with
every answer, from enquiries (which holds it) through the caller: a QuestionnaireResponse."""
from datetime import UTC, datetime

from services.journey.domain.record import Record

_SYSTEM = "urn:carepath:questionnaire"


def submitted(b, r: Record, subject: dict, answered: dict | None) -> None:
    if not answered or answered.get("status") != "submitted":
        return
    definition, answers = answered["definition"], answered["answers"]
    url = f"{_SYSTEM}:{definition['id']}"
    sections = []
    for section in definition["sections"]:
        items = [_item(url, question, answers[question["id"]]) for question in section["questions"]
                 if answers.get(question["id"]) not in (None, "", [])]
        if items:
            sections.append({"linkId": section["id"], "text": section["title"], "item": items})
    b.add({"resourceType": "QuestionnaireResponse", "status": "completed", "subject": subject,
           "questionnaire": f"{url}|{definition['version']}", "authored": _instant(answered["submitted_at"]),
           "item": sections}, "questionnaire", definition["id"])


def _item(url: str, question: dict, value) -> dict:
    values = value if isinstance(value, list) else [value]
    return {"linkId": question["id"], "text": question["text"],
            "answer": [_value(url, question, v) for v in values]}


def _value(url: str, question: dict, value) -> dict:
    kind = question["type"]
    if kind in ("integer", "scale"):
        return {"valueInteger": int(value)}
    if kind == "boolean":
        return {"valueBoolean": bool(value)}
    if kind in ("single_choice", "multi_choice"):
        labels = dict(zip(question.get("options", ()), question.get("option_labels", ()), strict=False))
        return {"valueCoding": {"system": f"{url}:{question['id']}", "code": str(value),
                                **({"display": labels[value]} if labels.get(value) else {})}}
    return {"valueString": str(value)}


def _instant(text: str) -> str:
    """FHIR's dateTime with a time needs its offset; one sent without is UTC."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
