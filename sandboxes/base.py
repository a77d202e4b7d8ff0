"""What every sandbox provider shares: a JSON WSGI app, signed webhooks, and a command line.

- `JsonApp`: a werkzeug app with a rule map; each endpoint is a method
  `(request, body, **url_args) -> (status, payload)`, answered as JSON; errors are JSON too.
- `Deliverer`: posts signed webhooks (shared.webhooks.sign, `t=..,v1=..`) to the gateway,
  retried with backoff, in threads, honouring the delivery switches (duplicates, reorder, delay).
  `QueuedDeliverer` sends one event at a time from one thread, reordering in swapped pairs.
- `arguments()` / `serve()`: the `--host --port --gateway --secret` command line and the server.
"""
import argparse
import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable

import requests
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from shared.webhooks import sign

log = logging.getLogger(__name__)
DELIVERY_SWITCHES = ("duplicates", "reorder", "delay_seconds")


class JsonApp:
    """A WSGI app answering JSON: `rules` map paths to endpoint method names."""

    rules: Map = Map([])

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            endpoint, args = self.rules.bind_to_environ(environ).match()
            status, payload = getattr(self, endpoint)(request, self.body(request), **args)
        except Exception as exc:  # error() re-raises what it does not know
            status, payload = self.error(exc)
        return Response(json.dumps(payload), status, content_type="application/json")(environ, start_response)

    def body(self, request: Request) -> dict:
        """A POST's JSON object; {} when there is none (or it is not a JSON object)."""
        if request.method != "POST":
            return {}
        found = request.get_json(force=True, silent=True)
        return found if isinstance(found, dict) else {}

    def error(self, exc: Exception) -> tuple[int, dict]:
        """The answer to an exception: werkzeug's HTTP errors keep their code; others raise."""
        if isinstance(exc, HTTPException):
            return exc.code or 500, self.error_body(exc, exc.name)
        raise exc

    def error_body(self, exc: Exception, message: str) -> dict:
        """The JSON body of an error answer (override to speak the provider's dialect)."""
        return {"error": type(exc).__name__, "message": message}

    def health(self, request: Request, body: dict) -> tuple[int, dict]:
        return 200, {"status": "live"}


class Deliverer:
    """Posts signed webhook events to one gateway endpoint, each `send` in a thread of its own.

    Every attempt is recorded in `deliveries` (see `entry`); a copy is retried with
    exponential backoff until the gateway answers 2xx or `attempts` are spent.
    """

    def __init__(self, url: str, secret: str, header: str, *, attempts: int = 5, backoff: float = 0.5,
                 max_backoff: float = 5.0):
        self.url, self.secret, self.header = url, secret, header
        self.attempts, self.backoff, self.max_backoff = attempts, backoff, max_backoff
        self.deliveries: list[dict] = []
        self._lock = threading.Lock()
        self._pending = 0

    def send(self, events: Iterable[dict], *, duplicates: int = 1, reorder: bool = False,
             delay_seconds: float = 0.0) -> None:
        """Deliver `events` in the background (reversed with `reorder`, each `duplicates` times)."""
        events = list(events)
        with self._lock:
            self._pending += 1
        threading.Thread(target=self._background, args=(events, duplicates, reorder, delay_seconds),
                         daemon=True).start()

    def run(self, events: Iterable[dict], *, duplicates: int = 1, reorder: bool = False,
            delay_seconds: float = 0.0) -> None:
        """Deliver `events` now, in this thread (what `send` does in the background)."""
        time.sleep(max(0.0, delay_seconds))
        ordered = list(reversed(list(events))) if reorder else list(events)
        for event in ordered:
            for _copy in range(max(1, int(duplicates))):
                self.deliver(event)

    def idle(self) -> bool:
        """True when no `send` is still delivering."""
        with self._lock:
            return self._pending == 0

    def deliver(self, event: dict) -> int | None:
        """Post one copy of `event`, retried; returns the last HTTP status (None: no answer)."""
        body = json.dumps(event).encode()
        status = None
        for attempt in range(1, self.attempts + 1):
            status = self.post(body)
            ok = status is not None and 200 <= status < 300
            entry = self.entry(event, attempt, status, final=ok or attempt == self.attempts)
            if entry is not None:
                with self._lock:
                    self.deliveries.append(entry)
            if ok:
                return status
            if attempt < self.attempts:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), self.max_backoff))
        log.warning("gave up delivering %s after %d attempts", event.get("id"), self.attempts)
        return status

    def entry(self, event: dict, attempt: int, status: int | None, final: bool) -> dict | None:
        """What `deliveries` records of an attempt (None records nothing); override to reshape."""
        return {"event_id": event["id"], "type": event["type"], "attempt": attempt, "status": status}

    def post(self, body: bytes) -> int | None:
        """One signed POST of `body`; the HTTP status, or None when the gateway did not answer."""
        headers = {"Content-Type": "application/json", self.header: sign(body, self.secret)}
        try:
            return requests.post(self.url, data=body, headers=headers, timeout=10).status_code
        except requests.RequestException:
            return None

    def _background(self, events, duplicates, reorder, delay_seconds) -> None:
        try:
            self.run(events, duplicates=duplicates, reorder=reorder, delay_seconds=delay_seconds)
        finally:
            with self._lock:
                self._pending -= 1


class QueuedDeliverer(Deliverer):
    """Delivers published events one at a time from one thread, reading the switches as it goes.

    `switches()` returns the current {duplicates: int, reorder: bool, delay_seconds: float};
    with `reorder`, an event waits for the next one and goes after it (alone if none comes
    within `hold_seconds`).
    """

    def __init__(self, url: str, secret: str, header: str, switches: Callable[[], dict], *,
                 hold_seconds: float = 0.5, **retry):
        super().__init__(url, secret, header, **retry)
        self.switches, self.hold_seconds = switches, hold_seconds
        self.queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._loop, daemon=True, name="webhooks").start()

    def publish(self, event: dict) -> None:
        self.queue.put(event)

    def idle(self) -> bool:
        return self.queue.unfinished_tasks == 0

    def _loop(self) -> None:
        held = None
        while True:
            try:
                event = self.queue.get(timeout=self.hold_seconds if held else None)
            except queue.Empty:  # nothing came after the held event: it goes alone
                self._one(held)
                held = None
                continue
            if self.switches().get("reorder") and held is None:
                held = event
                continue
            self._one(event)
            if held is not None:
                self._one(held)
                held = None

    def _one(self, event: dict) -> None:
        try:
            chosen = self.switches()
            self.run([event], duplicates=chosen.get("duplicates", 1),
                     delay_seconds=chosen.get("delay_seconds", 0.0))
        finally:
            self.queue.task_done()


def arguments(doc: str, port: int, secret_help: str = "webhook signing secret") -> argparse.ArgumentParser:
    """The sandbox command line: --host --port --gateway --secret (add your own switches)."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--secret", help=secret_help)
    return parser


def serve(app, host: str, port: int, banner: str = "") -> None:
    """Serve `app` threaded until the process ends."""
    logging.basicConfig(level=logging.INFO)
    server = make_server(host, port, app, threaded=True)
    print(banner or f"sandbox on http://{host}:{port}", flush=True)
    server.serve_forever()
