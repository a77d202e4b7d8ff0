"""Every catalog carries every message of the templates; a missing translation falls back to English."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.notifications.adapters import rendering
from services.notifications.settings import Clinic
from services.notifications.tests.samples import context
from shared import i18n as catalogs

ADAPTERS = Path(rendering.__file__).parent
METHODS = [("**/templates/**.j2", "jinja2"), ("**/calendar.py", "python")]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def _template_ids() -> set[str]:
    return {message for _f, _l, message, _c, _x in extract_from_dir(ADAPTERS, METHODS, options_map=OPTIONS)}


def _catalog(language: str):
    with catalogs.po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def test_the_templates_have_messages_to_translate():
    assert len(_template_ids()) > 100


@pytest.mark.parametrize("language", catalogs.LANGUAGES)
def test_a_catalog_lacks_no_message_id_of_the_templates(language):
    listed = {m.id for m in _catalog(language) if m.id}
    assert _template_ids() - listed == set(), f"{language} lacks these: run pybabel update (README)"


@pytest.mark.parametrize("language", [lang for lang in catalogs.LANGUAGES if lang != "en"])
def test_every_message_is_translated_with_the_same_placeholders(language):
    for message in _catalog(language):
        if not message.id:
            continue
        assert message.string, f"{language}: no translation for {message.id!r}"
        assert sorted(re.findall(r"%\(\w+\)s", message.string)) == sorted(
            re.findall(r"%\(\w+\)s", message.id)
        )


def test_a_message_a_catalog_lacks_is_read_in_english(monkeypatch):
    catalog = _catalog("nl")
    del catalog["Your surgery date"]
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    import gettext

    partial = gettext.GNUTranslations(compiled)
    partial.add_fallback(gettext.NullTranslations())
    monkeypatch.setattr(catalogs, "translations", lambda language: partial)
    rendering.environment.cache_clear()
    monkeypatch.setattr(rendering, "translations", lambda language: partial)
    try:
        mail = rendering.render("surgery_scheduled", "nl", context("surgery_scheduled"), Clinic())
    finally:
        rendering.environment.cache_clear()
    assert mail.subject == "Your surgery date"
    assert "Uw operatie is gepland op dinsdag 3 november 2026" in mail.text


def test_a_language_without_a_catalog_is_english():
    assert catalogs.language_of("pt-BR") == "en"
    assert catalogs.language_of("nl-BE") == "nl"
    assert catalogs.language_of(None) == "en"
