"""The rehabilitation rules as one typed value: the REHABILITATION config section (see settings.py)."""
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

ROUNDING = {"down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}


@dataclass(frozen=True)
class Rules:
    """The REHABILITATION config section, typed (see config.yaml)."""
    sessions_per_week: int = 2
    session_hours: Decimal = Decimal(2)
    load_step_kg: Decimal = Decimal(5)
    allowed_start_loads_kg: tuple[Decimal, ...] = (Decimal(5), Decimal(20))
    default_start_load_kg: Decimal = Decimal(20)
    target_fraction: Decimal = Decimal("0.5")
    target_rounding_kg: Decimal = Decimal(1)
    target_rounding: str = "down"
    no_progress_sessions: int = 2
    pain_rising_sessions: int = 2
    pain_min: int = 0
    pain_max: int = 10
    # (assumption) why a day or a supervised session was missed; codes, never free text
    missed_reasons: tuple[str, ...] = ("unwell", "pain", "stoma_care", "medical_appointment", "fatigue",
                                       "personal", "other")
