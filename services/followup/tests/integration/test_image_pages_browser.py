"""The specialist opens an X-ray in a real headless browser: the patient's images, the identity
check, the DICOM header and the bone-windowed preview; a screenshot is kept in var/screenshots."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from services.followup.tests import images
from services.followup.tests.integration.conftest import PASSWORD
from services.followup.tests.integration.test_imaging import upload
from services.gateway.models import AccessLogEntry
from services.gateway.tests.browser import CHROMIUM
from shared.config import ROOT

SCREENSHOTS = ROOT / "var" / "screenshots"
# Skipped on a developer's machine without Debian's chromium; under CI a missing browser fails.
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")


def test_the_specialist_opens_an_xray_and_sees_its_bone_preview_header_and_a_failed_identity_check(system):
    journey = system.home_patient()
    xray = images.xray(patient_id="OTHER-PATIENT-991", InstitutionName="Haukeland radiology")
    assert upload(system, journey, xray, system.patient_link(journey)).status_code == 201
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "xray-preview.png"
    run = subprocess.run([sys.executable, "-m", "services.followup.tests.image_browser", system.base,
                          "specialist", PASSWORD, journey, str(shot)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)
    assert seen["accession"] == "CP" + journey.replace("-", "")[:14]
    assert seen["rows"] == ["mismatch"]
    assert seen["identity"] == "Identity check: does NOT match this patient."
    assert seen["header"]["Patient id"] == "OTHER-PATIENT-991"
    assert seen["header"]["Sending institution"] == "Haukeland radiology"
    assert (seen["header"]["Modality"], seen["header"]["Body part"]) == ("DX", "FEMUR")
    assert seen["preview_width"] == 160 and "bone" in seen["presets"]
    assert seen["original"].endswith("/original")
    assert shot.stat().st_size > 5000
    with system.gateway_db.session() as session:
        viewed = set(session.scalars(select(AccessLogEntry.action)
                                     .where(AccessLogEntry.journey_id == journey)))
    assert {"ui_images", "ui_image", "ui_image_preview"} <= viewed
