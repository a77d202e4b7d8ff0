"""The questionnaire's texts are data, shown in the patient's language by the portal: every one of them
has a Dutch translation in the portal's catalog (and the other languages list it)."""
import pytest
from babel.messages.pofile import read_po

from services.enquiries.adapters import questionnaires
from shared import i18n


def texts(definition) -> set[str]:
    found = {definition.title}
    for section in definition.sections:
        found.add(section.title)
        for question in section.questions:
            found |= {question.text, *question.option_labels, *question.labels}
    return found


@pytest.mark.parametrize("language", [code for code in i18n.LANGUAGES if code != i18n.DEFAULT])
def test_every_text_of_the_questionnaire_is_in_the_portal_catalog_and_dutch_translates_each(language):
    with i18n.po_path(language, "portal").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    definition = questionnaires.load("prosthesis-use", 1)
    missing = sorted(text for text in texts(definition) if catalog.get(text) is None)
    assert not missing, f"{language}: the portal catalog lacks {missing[:3]}"
    if language == "nl":
        untranslated = sorted(text for text in texts(definition) if not catalog.get(text).string)
        assert not untranslated, f"nl: no translation for {untranslated[:3]}"
