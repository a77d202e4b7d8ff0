"""Pre-screen outcomes: automatic, re-screened, or overridden by staff."""
from services.enquiries.domain import prescreen as rules
from services.enquiries.domain.intake import date_problems
from services.enquiries.handlers.common import actor, current_prescreen, enquiry_for, require_status
from services.enquiries.models import Enquiry, Prescreen
from shared.contracts.enquiries import PatientDeclined, PrescreenDecided
from shared.errors import Conflict, Invalid


def applicant(enquiry: Enquiry) -> rules.Applicant:
    return rules.Applicant(
        date_of_birth=enquiry.date_of_birth, amputation_level=enquiry.amputation_level,
        smoking_status=enquiry.smoking_status, smoking_stopped_on=enquiry.smoking_stopped_on,
        diabetes=bool(enquiry.diabetes), circulatory_disease=bool(enquiry.circulatory_disease))


def apply_outcome(uow, enquiry: Enquiry, outcome: rules.Outcome, *, by: str, at,
                  overridden: bool = False, reason: str | None = None) -> Prescreen:
    """Record an outcome, move the enquiry on, and announce it (a decline also as a decline)."""
    row = Prescreen(enquiry_id=enquiry.id, outcome=outcome.outcome, rules_fired=list(outcome.rules_fired),
                    rule_set_version=outcome.rule_set_version,
                    earliest_surgery_date=outcome.earliest_surgery_date, overridden=overridden,
                    reason=reason, decided_by=by, decided_at=at)
    uow.session.add(row)
    enquiry.status = rules.status_after(outcome.outcome)
    uow.emit(PrescreenDecided, {
        "enquiry_id": enquiry.id, "outcome": outcome.outcome, "rules_fired": list(outcome.rules_fired),
        "rule_set_version": outcome.rule_set_version, "overridden": overridden,
        "earliest_surgery_date": outcome.earliest_surgery_date}, enquiry.journey_id)
    if outcome.outcome == rules.DECLINED:
        uow.emit(PatientDeclined, {"enquiry_id": enquiry.id, "stage": "prescreen",
                                   "reasons": list(outcome.rules_fired)}, enquiry.journey_id)
    return row


def override_prescreen(uow, clock, journey_id: str, command: dict) -> Prescreen:
    """Staff replace the automatic outcome, saying why; who did it is recorded."""
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        current = current_prescreen(uow.session, enquiry.id)
        if current is None or enquiry.decision is not None:
            raise Conflict("only a pre-screen outcome awaiting screening can be overridden",
                           status=enquiry.status)
        if current.outcome == command["outcome"]:
            raise Conflict(f"the pre-screen outcome is already {current.outcome}")
        outcome = rules.Outcome(command["outcome"], (rules.OVERRIDE,), current.rule_set_version,
                                current.earliest_surgery_date)
        return apply_outcome(uow, enquiry, outcome, by=actor(uow), at=clock.now(),
                             overridden=True, reason=command["reason"])


def rescreen(uow, settings, clock, journey_id: str, facts: dict) -> Prescreen:
    """Run the rules again on the same journey (a smoker who stopped, a level now treated)."""
    today = clock.today()
    with uow:
        enquiry = enquiry_for(uow, journey_id, lock=True)
        require_status(enquiry, "on_hold", "waitlisted")
        if enquiry.erased_at is not None:
            raise Conflict("the enquirer's data was erased; a new enquiry is needed")
        if facts["smoking_status"] is not None:
            enquiry.smoking_status = facts["smoking_status"]
            enquiry.smoking_stopped_on = facts["smoking_stopped_on"]
        known = {"date_of_birth": enquiry.date_of_birth, "smoking_status": enquiry.smoking_status,
                 "smoking_stopped_on": enquiry.smoking_stopped_on}
        if problems := date_problems(known, today):
            raise Invalid("the new facts are not valid", fields=problems)
        outcome = rules.prescreen(applicant(enquiry), today, settings.thresholds)
        return apply_outcome(uow, enquiry, outcome, by=actor(uow), at=clock.now())
