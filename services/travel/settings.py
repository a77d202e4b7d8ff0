"""The TRAVEL section of config.yaml (the service declares `settings = Settings(parse)`)."""
from dataclasses import dataclass, field

from services.travel.domain.retries import RetryPolicy
from shared.config import section


@dataclass(frozen=True)
class Settings:
    agency_url: str = "http://127.0.0.1:8102"
    agency_name: str = "travel_agency"   # the actor of facts read from its webhooks: agency:<name>
    agency_timeout_seconds: float = 5.0
    agency_api_secret: str = "travel_local_sandbox_api_secret"   # signs every request to the agency
    enquiries_timeout_seconds: float = 5.0   # the passenger's identity, asked of enquiries when booking
    passenger_wait_seconds: float = 300.0    # a booking without passenger details asks again after this
    tick_seconds: float = 1.0          # how often stored webhooks and due agency requests are handled
    clinic_airport: str = "AMS"
    airports: dict[str, str] = field(default_factory=dict)   # home airport by country (ISO alpha-2)
    retry: RetryPolicy = RetryPolicy()

    @property
    def agency_actor(self) -> str:
        """Who the facts read from the agency's webhooks come from, on the timeline and the history."""
        return f"agency:{self.agency_name}"


def parse(config: dict) -> Settings:
    travel = section(config, "TRAVEL")
    retry = travel.get("compensation_retry") or {}
    return Settings(
        agency_url=str(travel.get("agency_url", "http://127.0.0.1:8102")),
        agency_name=str(travel.get("agency_name", "travel_agency")),
        agency_timeout_seconds=float(travel.get("agency_timeout_seconds", 5)),
        agency_api_secret=str(travel.get("agency_api_secret") or "travel_local_sandbox_api_secret"),
        enquiries_timeout_seconds=float(travel.get("enquiries_timeout_seconds", 5)),
        passenger_wait_seconds=float(travel.get("passenger_wait_seconds", 300)),
        tick_seconds=float(travel.get("tick_seconds", 1.0)),
        clinic_airport=str(travel.get("clinic_airport", "AMS")),
        airports={str(k).upper(): str(v) for k, v in (travel.get("home_airports") or {}).items()},
        retry=RetryPolicy(int(retry.get("attempts", 5)), float(retry.get("first_delay_seconds", 5)),
                          float(retry.get("backoff_factor", 3)), float(retry.get("max_delay_seconds", 600))))
