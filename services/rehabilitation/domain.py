"""Rehabilitation rules (JOURNEY.md stage 4): the load build-up on the implant and its schedule.

Plain Python: no I/O and no clock (`today` is passed in). Refusals raise
shared.errors.Invalid with the field at fault, so they explain themselves.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from shared.errors import Invalid

ROUNDING = {"down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}
KG = Decimal("0.1")


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


def target_load(body_weight_kg: Decimal, rules: Rules) -> Decimal:
    """The fraction of body weight, rounded to the configured increment ("down" never exceeds it)."""
    raw = Decimal(body_weight_kg) * rules.target_fraction
    units = (raw / rules.target_rounding_kg).to_integral_value(ROUNDING[rules.target_rounding])
    return (units * rules.target_rounding_kg).quantize(KG)


def default_start_load(target_kg: Decimal, rules: Rules) -> Decimal:
    """The load used until the physiotherapist chooses: the default, unless it exceeds the target."""
    if rules.default_start_load_kg <= target_kg:
        return rules.default_start_load_kg
    fitting = [load for load in rules.allowed_start_loads_kg if load <= target_kg]
    return max(fitting) if fitting else target_kg


@dataclass(frozen=True)
class Progression:
    """From the start load to the target in equal steps; the last step stops at the target."""
    start_kg: Decimal
    target_kg: Decimal
    step_kg: Decimal

    def ladder(self) -> list[Decimal]:
        loads, load = [], self.start_kg
        while load < self.target_kg:
            loads.append(load.quantize(KG))
            load += self.step_kg
        return loads + [self.target_kg.quantize(KG)]

    def next_step(self, best_kg: Decimal | None) -> Decimal:
        """The highest load the next session may reach without a recorded reason."""
        if best_kg is None:
            return self.ladder()[0]
        return next((load for load in self.ladder() if load > best_kg), self.target_kg)

    def check_load(self, load_kg: Decimal, best_kg: Decimal | None, body_weight_kg: Decimal,
                   reason: str | None) -> None:
        """Refuse an impossible load, and one beyond the plan unless a reason is recorded."""
        if load_kg < 0 or load_kg > body_weight_kg:
            limit = f"must be between 0 and the body weight ({body_weight_kg} kg)"
            raise Invalid("the load is not possible for this patient", fields={"load_kg": [limit]})
        if reason:
            return
        if load_kg > self.target_kg:
            raise Invalid("a load above the target needs a recorded reason",
                          fields={"reason": [f"required above the target of {self.target_kg} kg"]})
        step = self.next_step(best_kg)
        if load_kg > step:
            raise Invalid("a load above the plan's next step needs a recorded reason",
                          fields={"reason": [f"required above the next step of {step} kg"]})


def check_start_load(load_kg: Decimal, target_kg: Decimal, rules: Rules) -> None:
    allowed = ", ".join(str(load) for load in rules.allowed_start_loads_kg)
    if load_kg not in rules.allowed_start_loads_kg:
        raise Invalid("not an allowed start load", fields={"start_load_kg": [f"must be one of {allowed}"]})
    if load_kg > target_kg:
        raise Invalid("the start load is above the target",
                      fields={"start_load_kg": [f"must not exceed the target of {target_kg} kg"]})


def check_pain(score: int, rules: Rules) -> None:
    if not rules.pain_min <= score <= rules.pain_max:
        raise Invalid("the pain score is outside its scale",
                      fields={"pain_score": [f"must be between {rules.pain_min} and {rules.pain_max}"]})


def check_date(on: date, first: date, last: date, today: date, field: str) -> None:
    """A date must fall within the stay and not in the future."""
    if not first <= on <= last:
        raise Invalid("the date is outside the stay", fields={field: [f"must be between {first} and {last}"]})
    if on > today:
        raise Invalid("the date is in the future", fields={field: ["must not be after today"]})


def physio_schedule(start: date, end: date, per_week: int) -> list[date]:
    """Supervised sessions spread evenly over each week, from the day after discharge to `end`."""
    sessions, i = [], 0
    while (day := start + timedelta(days=1 + (i * 7) // per_week)) <= end:
        sessions.append(day)
        i += 1
    return sessions


@dataclass(frozen=True)
class SessionFact:
    on: date
    load_kg: Decimal
    pain: int


def attention_reasons(sessions: Sequence[SessionFact], target_kg: Decimal, rules: Rules) -> list[str]:
    """Why a patient needs staff attention now, judged on sessions in date order."""
    reasons = []
    if _stalled(sessions, target_kg, rules.no_progress_sessions):
        reasons.append("no_progress")
    if _pain_rising(sessions, rules.pain_rising_sessions):
        reasons.append("pain_rising")
    return reasons


def _stalled(sessions: Sequence[SessionFact], target_kg: Decimal, n: int) -> bool:
    """The last n sessions each stayed at or below the best load reached before them."""
    if len(sessions) <= n:
        return False
    best_before = max(s.load_kg for s in sessions[:-n])
    return best_before < target_kg and all(s.load_kg <= best_before for s in sessions[-n:])


def _pain_rising(sessions: Sequence[SessionFact], n: int) -> bool:
    """Pain went up at each of the last n sessions."""
    if len(sessions) <= n:
        return False
    tail = [s.pain for s in sessions[-(n + 1):]]
    return all(a < b for a, b in zip(tail, tail[1:], strict=False))
