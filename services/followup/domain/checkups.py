"""A check-up's life: planned, then done, missed (rebooked) or cancelled."""
from dataclasses import dataclass
from datetime import date, timedelta

from shared.errors import Conflict, Invalid

PLANNED, DONE, MISSED, CANCELLED = "planned", "done", "missed", "cancelled"
OUTCOMES = (DONE, MISSED, CANCELLED)

# What the specialist records at a done check-up (structured: no free text travels).
STOMA_CONDITIONS = ("calm", "irritated", "discharging", "overgranulation")
ACTIVITY_LEVELS = ("low", "moderate", "high")
IMPLANT_STABILITY = ("stable", "uncertain", "loose")


@dataclass(frozen=True)
class Findings:
    stoma_condition: str
    pain_score: int                 # 0 (none) to 10 (worst)
    infection_signs: bool
    activity_level: str
    implant_stability: str


@dataclass(frozen=True)
class Rebooking:
    due_on: date
    misses: int       # misses in a row for this check-up, including this one
    flagged: bool     # staff must reach the patient: missed too often


def check_outcome(status: str, outcome: str, findings: Findings | None, reason_code: str | None) -> None:
    """Only a planned check-up gets an outcome; `done` needs findings, `cancelled` a reason."""
    if status != PLANNED:
        raise Conflict(f"the check-up is already {status}", status=status)
    if outcome not in OUTCOMES:
        raise Invalid("unknown outcome", fields={"outcome": [f"one of {', '.join(OUTCOMES)}"]})
    if outcome == DONE and findings is None:
        raise Invalid("a done check-up needs its findings", fields={"findings": ["required when done"]})
    if outcome != DONE and findings is not None:
        raise Invalid("only a done check-up has findings", fields={"findings": ["only when done"]})
    if outcome == CANCELLED and not reason_code:
        raise Invalid("a cancellation needs a reason", fields={"reason_code": ["required when cancelled"]})


def rebook_after_miss(due_on: date, today: date, misses_before: int, rebook_after_days: int,
                      flag_after_misses: int) -> Rebooking:
    """A missed check-up is offered again a little later; missing it again flags it."""
    misses = misses_before + 1
    return Rebooking(due_on=max(due_on, today) + timedelta(days=rebook_after_days),
                     misses=misses, flagged=misses >= flag_after_misses)


def window_ends(due_on: date, window_days: int) -> date:
    """The last day a check-up's outcome may be recorded before it counts as missed (assumption:
    a window of FOLLOWUP.checkup_window_days after its date)."""
    return due_on + timedelta(days=window_days)


def findings_of_concern(findings: Findings) -> list[str]:
    """Findings a specialist should look at: named so the record explains itself."""
    reasons = []
    if findings.stoma_condition != "calm":
        reasons.append(f"stoma {findings.stoma_condition}")
    if findings.infection_signs:
        reasons.append("signs of infection")
    if findings.implant_stability != "stable":
        reasons.append(f"implant {findings.implant_stability}")
    if findings.pain_score >= 7:
        reasons.append("severe pain")
    return reasons
