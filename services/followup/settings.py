"""The FOLLOWUP section of config.yaml (the service declares `settings = Settings(parse)`)."""
from dataclasses import dataclass, field

from shared.config import section

DEFAULTS = {
    "checkups": ["6 weeks", "3 months", "6 months", "12 months"],
    "yearly_for_years": 10,
    "default_channel": "video",
    "default_video_app": None,
    "checkup_local_time": "10:00",
    "clinic_time_zone": "Europe/Amsterdam",
    "default_time_zone": "Europe/Amsterdam",
    "time_zones": {},
    "file_store": "var/files",
    "orthanc_url": None,
    "orthanc_username": None,
    "orthanc_password": None,
    "max_upload_bytes": 20 * 1024 * 1024,
    "review_due_days": 5,
    "rebook_after_days": 7,
    "checkup_window_days": 7,
    "flag_after_misses": 2,
    "escalation_days": {},
    "default_escalation_days": 2,
    "activities": {},
}


@dataclass(frozen=True)
class Settings:
    checkups: list[str]
    yearly_for_years: int
    default_channel: str
    default_video_app: str | None
    checkup_local_time: str
    clinic_time_zone: str
    default_time_zone: str
    time_zones: dict[str, str]
    file_store: str
    orthanc_url: str | None
    orthanc_username: str | None
    orthanc_password: str | None
    max_upload_bytes: int
    review_due_days: int
    rebook_after_days: int
    checkup_window_days: int
    flag_after_misses: int
    escalation_days: dict[str, int]
    default_escalation_days: int
    activities: dict = field(default_factory=dict)

    @property
    def allowed(self) -> list[str]:
        return list(self.activities.get("allowed") or [])

    @property
    def discouraged(self) -> list[str]:
        return list(self.activities.get("discouraged") or [])

    @property
    def not_before_months(self) -> dict[str, int]:
        return dict(self.activities.get("not_before_months") or {})


def parse(config: dict) -> Settings:
    """The follow-up settings from config FOLLOWUP, with the defaults above."""
    values = section(config, "FOLLOWUP", **DEFAULTS)
    values = {key: values[key] for key in DEFAULTS}
    for key in ("yearly_for_years", "max_upload_bytes", "review_due_days", "rebook_after_days",
                "checkup_window_days", "flag_after_misses", "default_escalation_days"):
        values[key] = int(values[key])
    values["checkup_local_time"] = str(values["checkup_local_time"])
    for key in ("orthanc_url", "orthanc_username", "orthanc_password"):
        values[key] = str(values[key]).strip() or None if values[key] is not None else None
    return Settings(**values)

