"""Questionnaire definitions, one YAML file per version: `<id>-v<version>.yaml`."""
from functools import cache
from pathlib import Path

import yaml

from services.enquiries.domain.questionnaire import Definition, DefinitionError, parse

FOLDER = Path(__file__).parent


@cache
def load(questionnaire_id: str, version: int) -> Definition:
    """The definition of one questionnaire version (read once per process)."""
    path = FOLDER / f"{questionnaire_id}-v{version}.yaml"
    if not path.is_file():
        raise DefinitionError(f"no questionnaire {questionnaire_id} v{version}")
    definition = parse(yaml.safe_load(path.read_text()))
    if (definition.id, definition.version) != (questionnaire_id, version):
        raise DefinitionError(f"{path.name} describes {definition.id} v{definition.version}")
    return definition
