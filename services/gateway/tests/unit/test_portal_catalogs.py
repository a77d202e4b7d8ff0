"""The portal's texts are in every catalog: Dutch (and English, the source) complete, the same
placeholders in every translation, and the journey's plain words all among them."""
import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from services.gateway.adapters.pages import portal_words
from shared import i18n
from shared.config import ROOT

COMPLETE = ("en", "nl")


def _portal_ids() -> set[str]:
    with (Path(i18n.__file__).parent / "portal.cfg").open() as config:
        methods, options = parse_mapping_cfg(config)
    found = extract_from_dir(ROOT, methods, options_map=options)
    return {_first(message) for _f, _l, message, _c, _x in found}


def _first(text):
    return text[0] if isinstance(text, tuple | list) else text   # a plural: its singular


def _catalog(language: str):
    with i18n.po_path(language, "portal").open("rb") as handle:
        return read_po(handle, locale=language)


def test_the_portal_has_messages_to_translate():
    assert len(_portal_ids()) > 50


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_catalog_lacks_no_message_of_the_portal(language):
    listed = {_first(m.id) for m in _catalog(language) if m.id}
    assert _portal_ids() - listed == set(), f"{language} lacks these: run pybabel update (portal-frame)"


@pytest.mark.parametrize("language", [lang for lang in i18n.LANGUAGES if lang != "en"])
def test_translations_keep_the_placeholders_and_dutch_is_complete(language):
    for message in _catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if language in COMPLETE:
            assert all(strings), f"{language}: no translation for {message.id!r}"
        for string in filter(None, strings):
            assert sorted(re.findall(r"%\(\w+\)[sd]", string)) == sorted(
                re.findall(r"%\(\w+\)[sd]", _first(message.id))), (language, message.id)


def _journey_words() -> set[str]:
    """Every sentence of the journey's patient view (its tables' values and its date labels)."""
    tree = ast.parse((ROOT / "services/journey/domain/patient.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            found |= {v.value for v in node.values if isinstance(v, ast.Constant) and " " in str(v.value)}
        if isinstance(node, ast.Tuple):
            found |= {v.value for v in node.elts
                      if isinstance(v, ast.Constant) and str(v.value)[:1].isupper()}
    return found - {"video call", "video call or telephone"}


def test_every_sentence_of_the_journey_patient_view_is_a_portal_message():
    listed = set(portal_words.STAGES + portal_words.YOUR_TURN + portal_words.CLINIC_TURN + portal_words.DATES)
    assert _journey_words() - listed == set()


def test_a_portal_page_reads_in_dutch_and_a_missing_message_in_english():
    dutch = i18n.translations("nl", "portal")
    assert dutch.gettext("My journey") == "Mijn traject"
    assert dutch.gettext("A sentence no catalog has.") == "A sentence no catalog has."
    assert dutch.gettext("Your surgery date") != "Your surgery date"   # the emails' catalog is read too


def test_the_emails_read_only_their_own_catalog_whatever_the_portal_says():
    assert i18n.translations("de").gettext("My journey") == "My journey"
    mail = i18n.translations("de").gettext("Check-up with the specialist")
    portal = i18n.translations("de", "portal").gettext("Check-up with the specialist")
    assert mail.startswith("Kontrolle beim Facharzt") and portal != "Check-up with the specialist"
