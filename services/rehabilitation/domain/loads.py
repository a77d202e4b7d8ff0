"""The load on the pin (JOURNEY.md stage 4): built up from 5 or 20 kg to half the body weight.

Refusals raise shared.errors.Invalid with the field at fault, so they explain themselves.
"""
from dataclasses import dataclass
from decimal import Decimal

from services.rehabilitation.domain.rules import ROUNDING, Rules
from shared.errors import Invalid

KG = Decimal("0.1")


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
    """The physiotherapist picks one of the allowed start loads, never above the target."""
    allowed = ", ".join(str(load) for load in rules.allowed_start_loads_kg)
    if load_kg not in rules.allowed_start_loads_kg:
        raise Invalid("not an allowed start load", fields={"start_load_kg": [f"must be one of {allowed}"]})
    if load_kg > target_kg:
        raise Invalid("the start load is above the target",
                      fields={"start_load_kg": [f"must not exceed the target of {target_kg} kg"]})
