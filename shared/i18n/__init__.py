"""The gettext catalogs every patient-facing text is read from: the clinic's emails (notifications)
and the patient portal (the gateway), in English, Dutch, German, French and Spanish.

The .po files under `locale/<lang>/LC_MESSAGES/` are the source; each process compiles them in memory
once, so a fresh clone needs no build step. Two domains sit side by side: `messages` (the emails,
extracted from services/notifications/adapters) and `portal` (the portal's pages, extracted from the
gateway's portal templates and pages); `translations(language, "portal")` reads both, the portal's first. A
message a catalog lacks (or leaves untranslated) reads in English, the source text.
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
DOMAINS = ("portal", "messages")
# Each language named in itself, for the language switch.
NAMES = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "fr": "Français", "es": "Español"}


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel) where it is declared; it is translated where it is shown
    (the portal's `say`)."""
    return message


def language_of(preferred: str | None) -> str:
    """The catalog for a preferred language ("nl-BE" -> "nl"); English when we have none."""
    code = (preferred or DEFAULT).replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


def po_path(language: str, domain: str = "messages") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def _compiled(path: Path, language: str) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def translations(language: str, domain: str = "messages") -> gettext.NullTranslations:
    """The language's translations of `domain`, English underneath for anything it lacks. The portal's
    domain has the emails' underneath it (a portal page may use a mail's words); the emails read only
    their own, so a portal text never changes a mail."""
    language = language_of(language)
    found: gettext.NullTranslations = gettext.NullTranslations()
    if language == DEFAULT:
        return found
    for layer_domain in reversed(DOMAINS[DOMAINS.index(domain):]):   # the last added is asked first
        path = po_path(language, layer_domain)
        if path.exists():
            layer = _compiled(path, language)
            layer.add_fallback(found)
            found = layer
    return found
