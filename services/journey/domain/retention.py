"""How long a journey's record is kept, by the kind of record it is (RETENTION rules, JOURNEY config).

- an enquirer who never became a patient: `enquirer_months` after the journey's last fact (or erased
  on request at once);
- declined after clinical screening: the screening is a medical record, `declined_years` after the
  decision;
- a patient: `patient_years` after the last treatment (WGBO: 20 years in the Netherlands).
None once the record is erased or purged: nothing is left to keep.
"""
from dataclasses import dataclass
from datetime import date

from services.journey.domain.record import Record

# Facts that are treatment (or its follow-up): the patient's retention runs from the last of them.
TREATMENT = frozenset({"patient_accepted", "preop_check_recorded", "surgery_performed", "ward_discharged",
                       "rehab_plan_created", "rehab_target_load_reached", "prosthesis_fitted",
                       "rehab_completed",
                       "checkup_completed", "imaging_received", "imaging_reviewed", "complication_reported",
                       "escalation_resolved"})

# The retention's and erasure's own facts do not make a record younger.
OWN = frozenset({"retention_ended", "erasure_requested", "erasure_confirmed"})


@dataclass(frozen=True)
class Rules:
    enquirer_months: int
    declined_years: int
    patient_years: int


@dataclass(frozen=True)
class Kept:
    rule: str          # one of shared.contracts.journey.RETENTION_RULES
    until: date        # the last day the record is kept; purged the day after


@dataclass(frozen=True)
class Dates:
    """When the clinic recorded the facts the rules count from (its calendar, simulated or not)."""
    last_fact: date | None          # the journey's last fact, the retention's own aside
    last_treatment: date | None     # the last TREATMENT fact
    declined: date | None           # the screening decision that declined


def kept(r: Record, dates: Dates, rules: Rules) -> Kept | None:
    """Which rule keeps this journey's record, and until when; None if nothing is to be kept."""
    if r.purged_at or (r.erasure_requested_at and not r.accepted) or dates.last_fact is None:
        return None
    if r.accepted:
        return Kept("patient", _add_years(dates.last_treatment or dates.last_fact, rules.patient_years))
    if r.declined and r.declined.get("stage") == "screening":
        declined = dates.declined or dates.last_fact
        return Kept("declined_after_screening", _add_years(declined, rules.declined_years))
    return Kept("enquirer", _add_months(dates.last_fact, rules.enquirer_months))


def dates_of(last_by_type: dict[str, date]) -> Dates:
    """The dates the rules need, from the last day each type of fact was recorded."""
    own = [day for kind, day in last_by_type.items() if kind not in OWN]
    treated = [day for kind, day in last_by_type.items() if kind in TREATMENT]
    return Dates(last_fact=max(own, default=None), last_treatment=max(treated, default=None),
                 declined=last_by_type.get("patient_declined"))
def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:        # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
