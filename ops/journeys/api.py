"""The gateway's HTTP API as the journey driver calls it: public, by patient link, or signed in."""
import threading
import time
import uuid

import requests
from requests.adapters import HTTPAdapter

WRITES = ("POST", "PUT", "PATCH", "DELETE")
RETRIES = 10


def _still_running(response: requests.Response) -> bool:
    return response.status_code == 409 and "still running" in response.text


class StepFailed(AssertionError):
    """A call was refused, or the reaction a step waits for did not show in time."""


class _FromAddress(HTTPAdapter):
    """Connect from a loopback address of one's own (rate limits are per client address)."""

    def __init__(self, address: str):
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


class Api:
    """One HTTP client of the gateway: public, a patient's link, or a signed-in staff member.

    Safe to share between threads: each thread gets its own connection pool, and
    all of them share one token (sign-ins are rate limited per client address).
    """

    def __init__(self, base: str, login: tuple[str, str] | None = None, token: str | None = None,
                 source_address: str | None = None, timeout: float = 30.0, on_wait=None):
        self.base, self.login, self.timeout = base.rstrip("/"), login, timeout
        self.source_address, self.on_wait = source_address, on_wait
        self._token, self._lock, self._local = token, threading.Lock(), threading.local()

    def call(self, method: str, path: str, body=None, ok=(200, 201)):
        """The JSON answer of /api<path>; any status not in `ok` raises StepFailed."""
        response = self._send(method, path, body)
        if response.status_code not in ok:
            raise StepFailed(f"{method} /api{path} answered {response.status_code}: {response.text[:600]}")
        return response.json() if response.content else None

    def get(self, path: str):
        return self.call("GET", path)

    def post(self, path: str, body: dict | None = None):
        return self.call("POST", path, body if body is not None else {})

    def upload(self, path: str, data: bytes, content_type: str, params: dict | None = None, ok=(200, 201)):
        """POST a file as the request body (query `params` beside it), e.g. an X-ray into the patient file."""
        response = self._send("POST", path, None, raw=(data, content_type), params=params)
        if response.status_code not in ok:
            raise StepFailed(f"POST /api{path} answered {response.status_code}: {response.text[:600]}")
        return response.json() if response.content else None

    def maybe(self, path: str):
        """GET, or None while the resource does not exist yet (404)."""
        response = self._send("GET", path, None)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise StepFailed(f"GET /api{path} answered {response.status_code}: {response.text[:600]}")
        return response.json()

    def _send(self, method: str, path: str, body, raw: tuple[bytes, str] | None = None,
              params: dict | None = None) -> requests.Response:
        """Send once in effect: a write carries one Idempotency-Key through every retry, so a retry
        after a lost answer, a 503 or a dropped connection (an outage) cannot act twice."""
        if self.login and self._token is None:
            self._sign_in(None)
        key = {"Idempotency-Key": uuid.uuid4().hex} if method in WRITES else {}
        response = None
        for attempt in range(RETRIES):
            token = self._token
            headers = dict(key, **({"Authorization": f"Bearer {token}"} if token else {}))
            sent = {"json": body} if raw is None else {"data": raw[0]}
            if raw is not None:
                headers["Content-Type"] = raw[1]
            try:
                response = self._session().request(method, f"{self.base}/api{path}", params=params,
                                                   headers=headers, timeout=self.timeout, **sent)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt == RETRIES - 1:
                    raise
                self._wait(method, path, f"no answer ({type(exc).__name__})", 2 ** min(attempt, 4))
                continue
            if response.status_code == 401 and self.login and attempt == 0:
                self._sign_in(token)  # the short-lived token expired
            elif response.status_code in (429, 503) or (key and _still_running(response)):
                # rate limited, a service away for a moment, or this very request still running
                delay = float(response.headers.get("Retry-After") or 2 ** min(attempt, 4))
                self._wait(method, path, f"answered {response.status_code}", delay)
            else:
                return response
        return response

    def _wait(self, method: str, path: str, why: str, delay: float) -> None:
        delay = min(delay, 15.0)
        if self.on_wait:
            self.on_wait(f"{method} /api{path}: {why}, retrying in {delay:.0f}s")
        time.sleep(delay)

    def _sign_in(self, stale: str | None) -> None:
        with self._lock:
            if self._token != stale:
                return  # another thread signed in meanwhile
            username, password = self.login
            self._token = None
            answer = Api(self.base, source_address=self.source_address, on_wait=self.on_wait).call(
                "POST", "/auth/token", {"username": username, "password": password})
            self._token = answer["access_token"]

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            if self.source_address:
                session.mount("http://", _FromAddress(self.source_address))
        return session
