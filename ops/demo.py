"""`python -m ops demo`: sample patients through the whole journey on a running system.

Run `make run` first (gateway on 127.0.0.1:8000, sandbox providers on 8101/8102). The demo
creates a staff user per role (demo-<role>, with a password made for this run), then drives
each sample patient from the public form to the tele-follow-up plan, printing every step. The
simulated clinic clock moves forward through the months of each journey and is reset to the
real date at the end, whatever happens.
"""
import os
import sys
import time

import requests

from ops.journeys import Clock, JourneyDriver, StepFailed, ensure_staff, staff_credentials
from shared.clock import CLOCK_FILE
from shared.config import ROOT, database_url


def run(config: dict, patients: int = 1, gateway: str = "http://127.0.0.1:8000", say=print) -> int:
    payment_url = (config.get("PAYMENTS") or {}).get("provider_url") or "http://127.0.0.1:8101"
    missing = [url for url in (f"{gateway}/health/ready", f"{payment_url}/health") if not _up(url)]
    if missing:
        print(f"not reachable: {', '.join(missing)}. Start the system with `make run` first.",
              file=sys.stderr)
        return 1
    clock_file = os.environ.get(CLOCK_FILE) or str(ROOT / "var" / "clock")
    credentials = staff_credentials("demo")
    ensure_staff(database_url(config, "gateway"), credentials)
    say(f"staff users ready: {', '.join(username for username, _ in credentials.values())}")
    driver = JourneyDriver(gateway, credentials, payment_url, clock_file, say=say)
    started = time.monotonic()
    try:
        for number in range(1, patients + 1):
            begun = time.monotonic()
            patient = driver.whole_journey(number, source_address=_own_address(number))
            say(f"[patient {number}] whole journey in {time.monotonic() - begun:.1f}s "
                f"(journey {patient.journey_id})")
    except StepFailed as exc:
        print(f"demo stopped: {exc}", file=sys.stderr)
        return 1
    finally:
        Clock(clock_file).reset()
        say("simulated clock reset to the real date")
    say(f"{patients} sample patient(s) from enquiry to follow-up plan in {time.monotonic() - started:.1f}s; "
        f"see {gateway}/ui/board")
    return 0


def _own_address(number: int) -> str | None:
    """Each sample patient writes from a loopback address of their own (Linux routes all of
    127/8), as different people would; the public form's rate limit is per address."""
    return f"127.0.{number // 250}.{number % 250 + 2}" if sys.platform.startswith("linux") else None


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=3).status_code == 200
    except requests.RequestException:
        return False
