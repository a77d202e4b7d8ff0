"""Rehabilitation's rules: plain Python, no I/O, no clock (JOURNEY.md stage 4)."""
from services.rehabilitation.domain.attendance import (
    DONE,
    MISSED,
    DayFact,
    Standing,
    check_day,
    check_missed_reason,
    departure_warning_changed,
    standing,
)
from services.rehabilitation.domain.loads import (
    KG,
    Progression,
    check_start_load,
    default_start_load,
    target_load,
)
from services.rehabilitation.domain.rules import ROUNDING, Rules
from services.rehabilitation.domain.sessions import (
    SessionFact,
    attention_reasons,
    check_date,
    check_pain,
    physio_schedule,
)

__all__ = ["DONE", "MISSED", "DayFact", "Standing", "check_day", "check_missed_reason",
           "departure_warning_changed", "standing",
           "KG", "ROUNDING", "Progression", "Rules", "SessionFact", "attention_reasons", "check_date",
           "check_pain", "check_start_load", "default_start_load", "physio_schedule", "target_load"]
