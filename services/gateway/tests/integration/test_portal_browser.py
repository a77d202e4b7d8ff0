"""The patient portal in a real headless browser: every page of the menu, at desktop (1280x800) and
phone (390x844) size, in English and Dutch, with a screenshot of each in var/screenshots/portal/."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.gateway.tests.browser import CHROMIUM
from services.gateway.tests.portal_system import running_portal
from shared.config import ROOT

# Skipped on a developer's machine without Debian's chromium; under CI a missing browser fails.
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")
SCREENSHOTS = ROOT / "var" / "screenshots" / "portal"
MINE = ("/p/journey", "/p/stay", "/p/checkups", "/p/access-log", "/p/messages")


def test_every_portal_page_reads_well_on_a_desktop_and_a_phone_in_english_and_dutch():
    with running_portal() as portal:
        token = portal.link(portal.home_patient(language="nl"))
        command = [sys.executable, "-m", "services.gateway.tests.portal_browser", portal.base, token,
                   str(SCREENSHOTS), "en,nl"]
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)
    assert {f"{lang} {size} {path}" for lang in ("en", "nl") for size in ("desktop", "phone")
            for path in MINE} <= set(seen)
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
