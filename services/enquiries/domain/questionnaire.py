"""A questionnaire is data: sections of typed questions, checked answer by answer."""
from collections.abc import Mapping
from dataclasses import dataclass

TYPES = ("single_choice", "multi_choice", "integer", "scale", "boolean", "text")


class DefinitionError(ValueError):
    """A questionnaire file that does not describe a usable questionnaire."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    required: bool = False
    options: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int = 2000
    labels: tuple[str, ...] = ()      # for a scale: what its two ends mean
    # for a choice: what each option says to the patient (the answer is the option's code)
    option_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Definition:
    id: str
    version: int
    title: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}


def parse(raw: Mapping) -> Definition:
    """Build a definition from its file's content; raise DefinitionError if it is not sound."""
    try:
        sections = tuple(Section(s["id"], s["title"], tuple(_question(q) for q in s["questions"]))
                         for s in raw["sections"])
        definition = Definition(raw["id"], int(raw["version"]), raw["title"], sections)
    except (KeyError, TypeError) as exc:
        raise DefinitionError(f"questionnaire definition is missing {exc}") from None
    ids = [q.id for s in definition.sections for q in s.questions]
    if len(ids) != len(set(ids)):
        raise DefinitionError("question ids must be unique")
    return definition


def _question(raw: Mapping) -> Question:
    fields = dict(raw)
    fields["options"] = tuple(fields.get("options", ()))
    fields["labels"] = tuple(fields.get("labels", ()))
    labels = fields.pop("option_labels", None) or {}
    fields["option_labels"] = tuple(str(labels.get(option, option)) for option in fields["options"])
    question = Question(**fields)
    if question.type not in TYPES:
        raise DefinitionError(f"question {question.id}: unknown type {question.type}")
    if question.type in ("single_choice", "multi_choice") and not question.options:
        raise DefinitionError(f"question {question.id}: a choice needs options")
    if set(labels) - set(question.options):
        raise DefinitionError(f"question {question.id}: a label for an option it does not have")
    if question.type in ("integer", "scale") and (question.min is None or question.max is None):
        raise DefinitionError(f"question {question.id}: a number needs min and max")
    return question


def answer_problems(definition: Definition, answers: Mapping) -> dict[str, list[str]]:
    """Per-question messages for answers of the wrong type or range, or to unknown questions.

    A None answer clears a saved one, so it is always acceptable here.
    """
    questions = definition.questions
    problems = {}
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            problems[question_id] = ["no such question in this questionnaire"]
        elif value is not None and (message := _check(question, value)):
            problems[question_id] = [message]
    return problems


def unanswered(definition: Definition, answers: Mapping) -> list[str]:
    """Required questions without an answer (an empty multiple choice counts as none)."""
    return [q.id for q in definition.questions.values()
            if q.required and answers.get(q.id) in (None, [], "")]


def _check(q: Question, value) -> str | None:
    if q.type == "boolean":
        return None if isinstance(value, bool) else "must be true or false"
    if q.type in ("integer", "scale"):
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        return None if q.min <= value <= q.max else f"must be from {q.min} to {q.max}"
    if q.type == "single_choice":
        ok = isinstance(value, str) and value in q.options
        return None if ok else f"must be one of {', '.join(q.options)}"
    if q.type == "multi_choice":
        ok = isinstance(value, list) and all(isinstance(v, str) and v in q.options for v in value)
        if not ok:
            return f"must be a list drawn from {', '.join(q.options)}"
        return None if len(set(value)) == len(value) else "must not repeat a choice"
    if not isinstance(value, str):
        return "must be text"
    return None if len(value) <= q.max_length else f"must be at most {q.max_length} characters"
