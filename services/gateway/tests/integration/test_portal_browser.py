"""The patient portal in a real headless browser: every page of the menu (the questionnaire open, as the
clinic opens it, and its first part), and the pages a patient without a session sees (the expired link, the
new-link page), at desktop (1280x800) and phone (390x844) size, in English and Dutch, with a screenshot of
each in var/screenshots/portal/; and axe-core's accessibility check of each of them at phone size. Who
looked at my file says what the clinic did in the page's language."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from services.gateway.tests.browser import CHROMIUM
from services.gateway.tests.portal_system import running_portal
from shared import i18n
from shared.config import ROOT

# Skipped on a developer's machine without Debian's chromium; under CI a missing browser fails.
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")
SCREENSHOTS = ROOT / "var" / "screenshots" / "portal"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"   # `make test` installs it
MINE = ("/p/journey", "/p/questionnaire", "/p/stay", "/p/checkups", "/p/access-log", "/p/messages")
LANGUAGES = ("en", "nl")
PART = re.compile(r"/p/questionnaire/\w+$")   # a part of the questionnaire, followed from its page


@pytest.fixture(scope="module")
def seen() -> dict:
    """One tour for the module's tests: one browser, each page once per size and language. The patient's
    journey reached its questionnaire through the enquiries service's API and is home as well (follow-up
    has check-ups for it), so every page has its forms to check."""
    with running_portal(enquiries=True) as portal:
        journey = portal.questionnaire_patient(language="nl")
        token = portal.link(portal.home_patient(language="nl", journey=journey))
        command = [sys.executable, "-m", "services.gateway.tests.portal_browser", portal.base, token,
                   str(SCREENSHOTS), ",".join(LANGUAGES), *([str(AXE)] if AXE.exists() else [])]
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_every_portal_page_reads_well_on_a_desktop_and_a_phone_in_english_and_dutch(seen):
    assert {f"{lang} {size} {path}" for lang in LANGUAGES for size in ("desktop", "phone")
            for path in (*MINE, "expired", "new-link")} <= set(seen)
    for visit, page in seen.items():
        language = visit.split()[0]
        assert page["lang"] == language, visit
        assert page["overflow"] <= 0, f"{visit} scrolls sideways by {page['overflow']} px"
        assert page["unlabelled"] == [], f"{visit}: fields without a label {page['unlabelled']}"
        assert page["first_focus"] == "skip", visit
        assert (SCREENSHOTS / page["screenshot"]).stat().st_size > 5000
        if visit.split()[2] in MINE:
            assert page["status"] == 200 and page["h1"], visit
    assert seen["nl phone /p/journey"]["h1"] == "Mijn traject"
    parts = [visit for visit in seen if PART.search(visit)]
    assert {visit.rsplit(" ", 1)[0] for visit in parts} == {f"{lang} {size}" for lang in LANGUAGES
                                                           for size in ("desktop", "phone")}
    assert all(seen[visit]["status"] == 200 and seen[visit]["h1"] for visit in parts), parts
    assert seen["en phone expired"]["status"] == 401 and seen["en phone new-link"]["status"] == 200
    assert seen["nl phone new-link"]["h1"] == "Een nieuwe persoonlijke link"


def test_axe_finds_nothing_serious_on_any_portal_page_at_phone_size_in_either_language(seen):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is not installed at {AXE} (make test installs it)")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser)")
    checked = {visit: page["axe"] for visit, page in seen.items() if "axe" in page}
    pages = (*MINE, "expired", "new-link")
    assert {f"{lang} phone {path}" for lang in LANGUAGES for path in pages} <= set(checked)
    assert {visit.split()[0] for visit in checked if PART.search(visit)} == set(LANGUAGES)   # a part's form
    found = [f"{visit}: {v['impact']} {v['id']} ({v['help']}) at {', '.join(v['nodes'])}"
             for visit, violations in checked.items() for v in violations]
    assert found == [], "\n".join(found)


def test_who_looked_at_my_file_says_what_the_clinic_did_in_the_pages_language(seen):
    """The staff's actions (a link issued, the screening steps) read as their route's action, translated."""
    dutch = i18n.translations("nl", "portal")
    said = {lang: set(seen[f"{lang} phone /p/access-log"]["what"]) for lang in LANGUAGES}
    assert "Issue a patient link" in said["en"] and "Complete a screening step" in said["en"]
    words = dutch.gettext("issue a patient link")
    assert words != "issue a patient link" and words[:1].upper() + words[1:] in said["nl"]
    assert said["nl"].isdisjoint(said["en"]), said["nl"] & said["en"]   # nothing left in English
