"""The portal's texts are in every catalog: Dutch (and English, the source) complete, the same
placeholders in every translation, the journey's plain words all among them, and every route's and page's
action (what Who looked at my file says was done) among them too."""
import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from services.gateway.adapters.pages import portal_access, portal_words
from services.gateway.adapters.routing import load_routes
from services.gateway.adapters.ui import PAGES
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


def _declared_actions() -> set[str]:
    return ({route.action for route in load_routes() if not route.public}
            | {rule.endpoint.action for rule in PAGES.iter_rules()})


def test_every_action_of_a_route_or_a_page_is_a_portal_message():
    """An action not marked N_() would read in English on Who looked at my file, whatever the language."""
    assert _declared_actions() - _portal_ids() == set(), "mark these N_() and translate them"


# What the gateway writes to the access log besides a route's name and ui_/portal_<page>: the names its
# adapters pass (ui.log_access(journey, "ui_timeline"), a search's "<name>" and "<name>_result", ...).
_LOGGED = (re.compile(r'\.log_(?:access|reads)\([^,()]+,\s*"(\w+)"'), re.compile(r'\baction="(\w+)"'))
_SEARCHED = re.compile(r'\blog_search\([^()]*"(\w+)"\)')


def _logged_names() -> set[str]:
    names = {route.name for route in load_routes() if not route.public}
    for found in (rule.endpoint for rule in PAGES.iter_rules()):
        names |= {f"ui_{found.name}"} | ({f"portal_{found.name}"} if found.for_patients else set())
    for source in (ROOT / "services/gateway/adapters").rglob("*.py"):
        text = source.read_text()
        names |= {name for pattern in _LOGGED for name in pattern.findall(text)}
        names |= {f"{name}{end}" for name in _SEARCHED.findall(text) for end in ("", "_result")}
    return names


def test_every_action_the_gateway_logs_reads_as_a_translated_route_or_page_action():
    actions, ids = portal_access._actions(), _portal_ids()
    found = {name: portal_access.words_of(name, actions) for name in _logged_names()}
    assert {name for name, words in found.items() if words not in ids} == set()
    assert found["ui_timeline"] == "see a journey's timeline"
    assert found["portal_send_upload_refused"] == "upload an X-ray or a photo"
    assert found["care_messages"] == "read the messages between a patient and the care team"
    dutch = i18n.translations("nl", "portal")
    assert dutch.gettext(found["care_messages"]) == "de berichten tussen een patiënt en het zorgteam lezen"


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
