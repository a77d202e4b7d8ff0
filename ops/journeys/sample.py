"""Sample data, staff users and the simulated clinic clock for driven journeys."""
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ops.journeys.api import StepFailed
from services.gateway.domain.roles import STAFF_ROLES
from shared.clock import set_simulated

CLINIC_TZ = ZoneInfo("Europe/Amsterdam")
DAY = timedelta(days=1)


def sample_form(number: int, **changes) -> dict:
    """A suitability enquiry that passes the pre-screen; a fresh address each time (no dedupe)."""
    form = {
        "name": f"Sample Patient {number}",
        "email": f"sample.{number}.{uuid.uuid4().hex[:8]}@example.invalid",
        "phone": "+47 000 00 000", "country": "NO", "preferred_language": "en", "date_of_birth": "1980-06-15",
        "amputation_level": "transfemoral", "amputation_side": "left", "years_since_amputation": 7,
        "prosthesis_complaints": "Sample complaint: the socket chafes", "smoking_status": "never",
        "diabetes": False, "circulatory_disease": False, "other_conditions": None, "body_weight_kg": 74.5,
        "privacy_consent": True, "health_data_consent": True, "marketing_consent": False,
        # as on the passport, for the flights and the hotel (the travel agency books with them)
        "passport_given_names": "Sample", "passport_surname": f"Patient {number}", "nationality": "NO",
    }
    return form | changes


def staff_credentials(prefix: str = "demo") -> dict[str, tuple[str, str]]:
    """A username per role and a password made for this run (never a fixed, committed secret)."""
    return {role: (f"{prefix}-{role}", secrets.token_urlsafe(18)) for role in STAFF_ROLES}


def ensure_staff(database_url: str, credentials: dict[str, tuple[str, str]]) -> None:
    """Create the users in the gateway's database, or give existing ones this run's password."""
    from sqlalchemy import select

    from services.gateway.domain.credentials import hash_password
    from services.gateway.handlers.accounts import create_user
    from services.gateway.models import StaffUser, kernel
    from shared.db import Store
    store = Store(database_url, kernel)
    try:
        with store.session() as session:
            for role, (username, password) in credentials.items():
                user = session.scalar(select(StaffUser).where(StaffUser.username == username))
                if user is None:
                    create_user(session, username, password, role)
                elif user.role != role:
                    raise StepFailed(f"user {username} exists with role {user.role}, not {role}")
                else:
                    user.password_hash, user.active = hash_password(password), True
    finally:
        store.dispose()


class Clock:
    """The simulated clinic date every service reads. It only moves forward, so patients
    driven at the same time never see a day they have passed come back."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def today(self) -> date:
        try:
            return date.fromisoformat(self.path.read_text().strip())
        except (OSError, ValueError):
            return datetime.now(CLINIC_TZ).date()

    def advance_to(self, day: date) -> date:
        with self._lock:
            if day > self.today():
                set_simulated(self.path, day)
            return self.today()

    def reset(self) -> None:
        """Back to the real date (the demo's last step)."""
        self.path.unlink(missing_ok=True)


def answers_for(definition: dict) -> dict:
    """Plausible answers to every required question of a questionnaire definition (it is data)."""
    chosen = {"single_choice": lambda q: q["options"][0], "multi_choice": lambda q: q["options"][:1],
              "integer": lambda q: q.get("min", 0), "scale": lambda q: (q["min"] + q["max"]) // 2,
              "boolean": lambda q: False, "text": lambda q: "sample answer"}
    return {q["id"]: chosen[q["type"]](q) for section in definition["sections"]
            for q in section["questions"] if q.get("required")}


@dataclass
class Patient:
    """What the driver knows of one sample patient's journey."""
    number: int
    journey_id: str = ""
    plan: dict = field(default_factory=dict)     # the surgery plan (ISO dates), once scheduled

    def day(self, name: str) -> date:
        return date.fromisoformat(self.plan[name])
