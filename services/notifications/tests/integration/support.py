"""Stand-ins for the stages notifications asks at send time, a real SMTP sink, and mail reading."""

import json
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

from kombu import Connection, Exchange

from shared.config import ROOT
from shared.consumers import rpc
from shared.errors import EXPECTED, NotFound
from shared.events import new_event, to_wire

CONTACTS: dict[str, dict] = {}  # journey -> contact details the enquiries stand-in answers with
SCHEDULES: dict[str, dict] = {}  # journey -> the follow-up schedule
ITINERARIES: dict[str, dict] = {}  # journey -> the itinerary


class Enquiries:
    name = "enquiries"

    @rpc(expected_exceptions=EXPECTED)
    def contact_for(self, journey_id):
        if journey_id not in CONTACTS:
            raise NotFound(f"no contact details for journey {journey_id}")
        return CONTACTS[journey_id]


class Gateway:
    name = "gateway"

    @rpc
    def issue_patient_link(self, journey_id, request):
        expires = datetime.now(UTC) + timedelta(days=14)
        return {
            "url": f"https://clinic.example/ui/patient?token=link-{request['purpose']}-{uuid.uuid4().hex}",
            "expires_at": expires.isoformat(),
        }


class Travel:
    name = "travel"

    @rpc
    def get_itinerary(self, journey_id):
        return ITINERARIES[journey_id]


class Followup:
    name = "followup"

    @rpc
    def get_schedule(self, journey_id):
        return SCHEDULES[journey_id]


STAND_INS = (Enquiries, Gateway, Travel, Followup)


def publish(amqp_uri: str, producer: str, event_type: str, payload: dict, journey_id: str, event=None):
    """Publish an input event as its producer would (the same event again when given)."""
    event = event or new_event(producer, event_type, payload, journey_id)
    exchange = Exchange(f"{producer}.events", type="topic", durable=True)
    with Connection(amqp_uri) as conn:
        conn.Producer().publish(
            json.dumps(to_wire(event)).encode(),
            exchange=exchange,
            routing_key=event_type,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            declare=[exchange],
        )
    return event


class Sink:
    """The run command's SMTP sink (ops/mail_sink.py) as its own process on a loopback port."""

    def __init__(self, folder: Path, port: int, *options: str):
        self.folder, self.port, self.proc, self.options = folder, port, None, list(options)

    def start(self) -> "Sink":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ops.mail_sink", "--port", str(self.port), "--dir", str(self.folder),
             *self.options],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the SMTP sink did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def mails_to(self, address: str) -> list:
        found = []
        for path in self.folder.glob("*.eml"):
            with path.open("rb") as handle:
                mail = BytesParser(policy=policy.default).parse(handle)
            if address in str(mail["To"]):
                found.append(mail)
        return found


def contact(language: str, time_zone: str | None = None) -> tuple[str, dict]:
    """A new journey and its person's contact details."""
    journey = str(uuid.uuid4())
    CONTACTS[journey] = {
        "email": f"p-{journey[:8]}@example.org",
        "name": f"Patient {journey[:4]}",
        "language": language,
        "time_zone": time_zone,
        "country": None,
    }
    return journey, CONTACTS[journey]
