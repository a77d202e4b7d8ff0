"""An image archive that is down or failing is "unavailable, try again" for the caller, never a 500."""
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.followup.adapters.filestore import FileStore
from services.followup.adapters.imagestore import Pacs
from services.followup.tests import images
from shared.errors import Unavailable

LOCATION = "dicomweb:1.2.3/1.2.3.4/1.2.3.4.5"


def _closed_port() -> int:
    with socket.socket() as probe:   # bound, then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Failing(BaseHTTPRequestHandler):
    def _fail(self):
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _fail

    def log_message(self, *args):   # quiet
        pass


@pytest.fixture
def failing_archive():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/dicom-web"
    server.shutdown()
    server.server_close()


def _each_call(store: Pacs):
    return [lambda: store.put(images.dicom(), "application/dicom"),
            lambda: store.has(LOCATION), lambda: store.read(LOCATION)]


def test_an_archive_nobody_answers_at_is_unavailable_with_a_time_to_try_again(tmp_path):
    store = Pacs(f"http://127.0.0.1:{_closed_port()}/dicom-web", FileStore(str(tmp_path)), "u", "p")
    for call in _each_call(store):
        with pytest.raises(Unavailable) as raised:
            call()
        assert "try again" in raised.value.message and raised.value.details["retry_after_seconds"] > 0


def test_an_archive_answering_with_a_server_error_is_unavailable(tmp_path, failing_archive):
    store = Pacs(failing_archive, FileStore(str(tmp_path)))
    for call in _each_call(store):
        with pytest.raises(Unavailable):
            call()


def test_photos_are_still_kept_while_the_archive_is_down(tmp_path):
    store = Pacs(f"http://127.0.0.1:{_closed_port()}/dicom-web", FileStore(str(tmp_path)))
    location = store.put(images.jpeg(), "image/jpeg")
    assert store.read(location) == images.jpeg()
