"""The NOTIFICATIONS section of config.yaml (the service declares `settings = Settings(parse)`)."""
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from services.notifications.domain.conversations import Limits
from shared.config import ROOT, section
from shared.contracts.api.notifications import ATTACHMENT_CEILING_BYTES, ATTACHMENTS_CEILING, TEXT_CEILING
from shared.topology import RetrySchedule, retry_schedule


@dataclass(frozen=True)
class Clinic:
    """Who the messages come from, and how to reach the clinic (every message's footer)."""
    name: str = "Osseointegration Clinic"
    sender: str = "care@clinic.example"
    phone: str = "+31 20 000 0000"
    email: str = "care@clinic.example"
    address: str = "Amsterdam, the Netherlands"
    website: str = "https://clinic.example"


@dataclass(frozen=True)
class Settings:
    smtp_url: str = "smtp://127.0.0.1:8025"
    clinic: Clinic = field(default_factory=Clinic)
    clinic_time_zone: str = "Europe/Amsterdam"
    mail_dir: Path | None = None         # the local sink's folder (a local run): the staff mailbox page
    tick_seconds: float = 1.0
    batch_size: int = 50
    send_timeout_seconds: float = 15.0
    retry: RetrySchedule = field(default_factory=lambda: RetrySchedule((1.0, 5.0, 30.0)))
    preop_days_before: int = 1
    preop_time: time = time(9, 0)
    checkup_days_before: int = 2
    checkup_time: time = time(9, 0)
    conversations: Limits = field(default_factory=Limits)
    new_links_per_day: int = 3           # links a patient may have sent from the portal's new-link page


def _time(text, default: time) -> time:
    return time.fromisoformat(str(text)) if text else default


def _limits(c: dict) -> Limits:
    """Messages with the care team; never above what the gateway reads (the contracts' ceilings)."""
    default = Limits()
    return Limits(max_text_chars=min(int(c.get("max_text_chars", default.max_text_chars)), TEXT_CEILING),
                  max_attachment_bytes=min(int(c.get("max_attachment_bytes", default.max_attachment_bytes)),
                                           ATTACHMENT_CEILING_BYTES),
                  max_attachments=min(int(c.get("max_attachments", default.max_attachments)),
                                      ATTACHMENTS_CEILING))


def parse(config: dict) -> Settings:
    n = section(config, "NOTIFICATIONS")
    clinic = Clinic(**{k: str(v) for k, v in (n.get("clinic") or {}).items() if k in Clinic.__annotations__})
    mail_dir = Path(n["mail_dir"]) if n.get("mail_dir") else None
    reminders = n.get("reminders") or {}
    return Settings(
        smtp_url=str(n.get("smtp_url") or "smtp://127.0.0.1:8025"), clinic=clinic,
        clinic_time_zone=str((config.get("CLINIC") or {}).get("timezone") or "Europe/Amsterdam"),
        mail_dir=ROOT / mail_dir if mail_dir else None,   # an absolute path stays as it is
        tick_seconds=float(n.get("tick_seconds", 1.0)), batch_size=int(n.get("batch_size", 50)),
        send_timeout_seconds=float(n.get("send_timeout_seconds", 15)),
        retry=retry_schedule(config),
        preop_days_before=int(reminders.get("preop_days_before", 1)),
        preop_time=_time(reminders.get("preop_time"), time(9, 0)),
        checkup_days_before=int(reminders.get("checkup_days_before", 2)),
        checkup_time=_time(reminders.get("checkup_time"), time(9, 0)),
        conversations=_limits(n.get("conversations") or {}),
        new_links_per_day=max(1, int(n.get("new_links_per_day", 3))))
