"""A throwaway Orthanc (Debian's `orthanc` and `orthanc-dicomweb`) on loopback, for tests and the bench.

Its own configuration, storage directory and HTTP port; no DICOM port; a user and password
required for every request. Under CI a missing Orthanc fails the tests that need it; elsewhere
they are skipped with how to install it.
"""
import json
import os
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from shared.testing.infra import free_port, wait_for

ORTHANC = shutil.which("Orthanc") or "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"   # dpkg -L orthanc-dicomweb
INSTALL = "apt-get install -y orthanc orthanc-dicomweb (deploy/system-deps.sh does)"


@dataclass(frozen=True)
class Orthanc:
    base: str          # http://127.0.0.1:<port>
    username: str
    password: str

    @property
    def dicomweb(self) -> str:
        return f"{self.base}/dicom-web"

    @property
    def auth(self) -> tuple[str, str]:
        return self.username, self.password


def available() -> bool:
    return Path(ORTHANC).exists() and Path(DICOMWEB_PLUGIN).exists()


def require() -> None:
    """Skip without Orthanc on a developer's machine; fail under CI."""
    if available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Orthanc with its DICOMweb plugin is not installed: {INSTALL}")
    pytest.skip(f"Orthanc with its DICOMweb plugin is not installed: {INSTALL}")


@contextmanager
def running_orthanc(directory: Path, tries: int = 3):
    """Start Orthanc with storage under `directory`; yields an Orthanc once it answers. The free port it
    is given can be taken by another process before Orthanc binds it: then it is started on another."""
    password = secrets.token_urlsafe(16)
    storage = directory / "storage"
    storage.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, tries + 1):
        port = free_port()
        process, log = _start(directory, storage, port, password)
        found = Orthanc(f"http://127.0.0.1:{port}", "carepath", password)
        try:
            wait_for(lambda f=found, p=process: _answers(f) or p.poll() is not None, timeout=20)
        except BaseException:
            _stop(process, log)
            raise
        if process.poll() is None:
            break
        log.close()
        told = (directory / "orthanc.log").read_text()
        if "already in use" not in told or attempt == tries:
            raise RuntimeError(f"Orthanc exited: {told[-2000:]}")
    try:
        yield found
    finally:
        _stop(process, log)


def _stop(process, log) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _start(directory: Path, storage: Path, port: int, password: str):
    config = {
        "Name": "carepath-test", "StorageDirectory": str(storage), "IndexDirectory": str(storage),
        "HttpPort": port, "RemoteAccessAllowed": False, "DicomServerEnabled": False,
        "AuthenticationEnabled": True, "RegisteredUsers": {"carepath": password},
        "Plugins": [DICOMWEB_PLUGIN], "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
        "StorageCompression": False, "HttpCompressionEnabled": False,
    }
    config_file = directory / "orthanc.json"
    config_file.write_text(json.dumps(config))
    log = open(directory / "orthanc.log", "wb")
    process = subprocess.Popen([ORTHANC, str(config_file)], stdout=log, stderr=subprocess.STDOUT,
                               cwd=directory)
    return process, log


def _answers(orthanc: Orthanc) -> bool:
    try:
        return requests.get(f"{orthanc.base}/system", auth=orthanc.auth, timeout=2).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="session")
def orthanc(tmp_path_factory):
    """One Orthanc for the whole run (module fixtures share it; each test uses its own studies)."""
    require()
    with running_orthanc(tmp_path_factory.mktemp("orthanc")) as found:
        yield found
