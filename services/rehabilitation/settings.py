"""The REHABILITATION config section, read once per container (`settings = Settings(parse)`).

The frozen dataclass is the domain's `Rules` (domain/rules.py): the rules are what the
settings configure, and the domain stays free of config reading.
"""
from decimal import Decimal

from services.rehabilitation.domain import ROUNDING, Rules
from shared.config import section


def parse(config: dict) -> Rules:
    """Typed rules from config.yaml; a missing key keeps its default, a bad one fails at start-up."""
    raw = section(config, "REHABILITATION")
    defaults = Rules()
    attention = raw.get("attention") or {}
    pain = raw.get("pain_scale") or {}

    def kg(key, default):
        return Decimal(str(raw.get(key, default)))
    rules = Rules(
        sessions_per_week=int(raw.get("sessions_per_week", defaults.sessions_per_week)),
        session_hours=kg("session_hours", defaults.session_hours),
        load_step_kg=kg("load_step_kg", defaults.load_step_kg),
        allowed_start_loads_kg=tuple(Decimal(str(load)) for load in
                                     raw.get("allowed_start_loads_kg", defaults.allowed_start_loads_kg)),
        default_start_load_kg=kg("default_start_load_kg", defaults.default_start_load_kg),
        target_fraction=kg("target_fraction_of_body_weight", defaults.target_fraction),
        target_rounding_kg=kg("target_rounding_kg", defaults.target_rounding_kg),
        target_rounding=str(raw.get("target_rounding", defaults.target_rounding)),
        no_progress_sessions=int(attention.get("no_progress_sessions", defaults.no_progress_sessions)),
        pain_rising_sessions=int(attention.get("pain_rising_sessions", defaults.pain_rising_sessions)),
        pain_min=int(pain.get("min", defaults.pain_min)),
        pain_max=int(pain.get("max", defaults.pain_max)),
        missed_reasons=tuple(str(code) for code in raw.get("missed_reasons", defaults.missed_reasons)))
    if rules.target_rounding not in ROUNDING:
        raise ValueError(f"REHABILITATION.target_rounding must be one of {sorted(ROUNDING)}")
    if rules.load_step_kg <= 0 or rules.sessions_per_week < 1 or rules.target_rounding_kg <= 0:
        raise ValueError("REHABILITATION: load_step_kg, target_rounding_kg and sessions_per_week must be > 0")
    if not rules.missed_reasons:
        raise ValueError("REHABILITATION.missed_reasons must list at least one reason code")
    return rules
