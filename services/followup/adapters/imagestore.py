"""Where images live: the local file store (the embedded default) or a PACS over DICOMweb.

Both answer the same three questions (`tests/integration/test_image_store.py` runs one set of
tests on each): store these bytes (`put`, giving a location), are they there (`has`), and
give them back unchanged (`read`). With a PACS, DICOM goes there (STOW-RS to store, QIDO-RS
to find, WADO-RS to retrieve) while photos and PDFs stay in the file store beside it, so one
patient file lists both. A location is the SHA-256 for the file store and
`dicomweb:<study>/<series>/<instance>` for the PACS.
"""
import io
import logging
from contextlib import contextmanager
from typing import Protocol

import pydicom
import requests
from dicomweb_client.api import DICOMwebClient
from nameko.extensions import DependencyProvider

from services.followup.adapters.filestore import FileStore
from services.followup.adapters.inspection import refuse
from services.followup.settings import Settings, parse
from shared.errors import Unavailable

log = logging.getLogger(__name__)
DICOM = "application/dicom"
PACS_PREFIX = "dicomweb:"
_TIMEOUT_SECONDS = 30


class ImageStore(Protocol):
    name: str

    def put(self, data: bytes, media_type: str) -> str: ...
    def has(self, location: str) -> bool: ...
    def read(self, location: str) -> bytes: ...
    def remove(self, location: str) -> None: ...


class FilesOnly:
    """Every image in the content-addressed file store."""
    name = "files"

    def __init__(self, files: FileStore):
        self.files = files

    def put(self, data: bytes, media_type: str) -> str:
        return self.files.put(data)[0]

    def has(self, location: str) -> bool:
        return self.files.has(location)

    def read(self, location: str) -> bytes:
        return self.files.read(location)

    def remove(self, location: str) -> None:
        self.files.remove(location)


class Pacs:
    """DICOM in a PACS over DICOMweb (dicomweb-client); everything else in the file store."""
    name = "orthanc"

    def __init__(self, url: str, files: FileStore, username: str | None = None, password: str | None = None):
        session = requests.Session()
        if username:
            session.auth = (username, password or "")
        self.client = DICOMwebClient(url=url.rstrip("/"), session=session)
        self.client.set_http_retry_params(retry=False)
        self.files = files
        # Orthanc's own REST API, beside its DICOMweb plugin: DICOMweb has no delete.
        self.rest, self.session = url.rstrip("/").removesuffix("/dicom-web"), session

    def put(self, data: bytes, media_type: str) -> str:
        if media_type != DICOM:
            return self.files.put(data)[0]
        dataset = pydicom.dcmread(io.BytesIO(data))
        try:
            uids = _uids(dataset)
        except AttributeError:   # a PACS files every instance under its study and series
            raise refuse("the DICOM file has no study, series or instance UID", detected=DICOM) from None
        with _reachable():
            self.client.store_instances([dataset])   # STOW-RS; raises on a refusal
        return PACS_PREFIX + "/".join(uids)

    def has(self, location: str) -> bool:
        if not location.startswith(PACS_PREFIX):
            return self.files.has(location)
        study, series, instance = _split(location)
        with _reachable():
            found = self.client.search_for_instances(   # QIDO-RS
                study_instance_uid=study, series_instance_uid=series,
                search_filters={"SOPInstanceUID": instance})
        return len(found) == 1

    def read(self, location: str) -> bytes:
        if not location.startswith(PACS_PREFIX):
            return self.files.read(location)
        # WADO-RS in the syntax it was stored in ("*"), so the file comes back as it was sent.
        with _reachable():
            dataset = self.client.retrieve_instance(*_split(location), media_types=((DICOM, "*"),))
        buffer = io.BytesIO()
        pydicom.dcmwrite(buffer, dataset)
        return buffer.getvalue()


    def remove(self, location: str) -> None:
        """Delete the instance from Orthanc (found by its SOP instance UID); a file from the store."""
        if not location.startswith(PACS_PREFIX):
            self.files.remove(location)
            return
        with _reachable():
            found = self.session.post(f"{self.rest}/tools/lookup", data=_split(location)[2],
                                      timeout=_TIMEOUT_SECONDS)
            found.raise_for_status()
            for resource in found.json():
                if resource.get("Type") == "Instance":
                    self.session.delete(f"{self.rest}/instances/{resource['ID']}",
                                        timeout=_TIMEOUT_SECONDS).raise_for_status()


@contextmanager
def _reachable():
    """A PACS that cannot be reached, fails (5xx) or refuses our credentials is down for the
    caller, who may try again (a 503 with Retry-After), never a 500; the reason goes to the log."""
    try:
        yield
    except (requests.ConnectionError, requests.Timeout) as exc:
        log.error("the image archive cannot be reached: %s", type(exc).__name__)
        raise Unavailable("the image archive cannot be reached just now; try again soon") from None
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else 0
        if status >= 500 or status in (401, 403):
            log.error("the image archive refused the request", extra={"status": status})
            raise Unavailable("the image archive is not taking requests just now; try again soon") from None
        raise


def _uids(dataset) -> tuple[str, str, str]:
    return str(dataset.StudyInstanceUID), str(dataset.SeriesInstanceUID), str(dataset.SOPInstanceUID)


def _split(location: str) -> tuple[str, str, str]:
    study, series, instance = location[len(PACS_PREFIX):].split("/")
    return study, series, instance


def image_store(s: Settings) -> ImageStore:
    """The PACS when FOLLOWUP.orthanc_url is set, else the file store alone."""
    files = FileStore(s.file_store)
    if s.orthanc_url:
        return Pacs(s.orthanc_url, files, s.orthanc_username, s.orthanc_password)
    return FilesOnly(files)


class ImageStoreProvider(DependencyProvider):
    """Injects the image store chosen by config FOLLOWUP (orthanc_url, file_store)."""

    def setup(self):
        self.store = image_store(parse(self.container.config))
        swept = self.store.files.sweep_partials()
        if swept:
            log.warning("removed half-written uploads left by an earlier crash", extra={"status": swept})

    def get_dependency(self, worker_ctx):
        return self.store
