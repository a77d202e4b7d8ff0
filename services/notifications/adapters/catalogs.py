"""The gettext catalogs (adapters/locale/<lang>/LC_MESSAGES/messages.po), compiled when loaded.

The .po files are the source (extracted from the templates with Babel: see adapters/babel.cfg);
each process compiles them in memory once, so a fresh clone needs no build step. A message id a
catalog lacks (or leaves untranslated) falls back to English, the templates' own text.
"""
import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "nl", "de", "fr", "es")
DEFAULT = "en"


def language_of(preferred: str | None) -> str:
    """The catalog for a preferred language ("nl-BE" -> "nl"); English when we have none."""
    code = (preferred or DEFAULT).replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's translations, English underneath for anything it lacks."""
    language = language_of(language)
    path = po_path(language)
    if language == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    found = gettext.GNUTranslations(compiled)
    found.add_fallback(gettext.NullTranslations())
    return found
