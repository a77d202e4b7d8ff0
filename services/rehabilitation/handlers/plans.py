"""The plan follows the patient, the surgery and the ward (reactions to other stages' events).

Facts arrive in any order (each event type has its own queue), so every use
case works on the journey's record, made on first contact, and the plan is
created once both the discharge and the body weight are known.
"""
import logging
import uuid

from services.rehabilitation.domain import Rules, target_load
from services.rehabilitation.models import RehabPlan
from shared.clock import ClinicClock, aware
from shared.contracts.rehabilitation import RehabPlanCreated, RehabPlanWithdrawn
from shared.db import UnitOfWork
from shared.events import Event
from shared.rows import locked_get_or_create

log = logging.getLogger(__name__)
CONSENT_WITHDRAWN = "consent_withdrawn"   # the reason a withdrawn consent gives (handlers/consent.py)


def record_for(session, journey_id: str) -> RehabPlan:
    """The journey's record, locked for this transaction, made on first contact (race-safe)."""
    return locked_get_or_create(session, RehabPlan, journey_id, plan_id=str(uuid.uuid4()),
                                status="awaiting", attention="")


def remember_patient(uow: UnitOfWork, event: Event, rules: Rules, clock: ClinicClock) -> None:
    """patient_accepted: keep the body weight the target load is computed from."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        plan.body_weight_kg = event.payload["body_weight_kg"]
        _create_when_ready(uow, plan, rules, clock)


def start_after_discharge(uow: UnitOfWork, event: Event, rules: Rules, clock: ClinicClock) -> None:
    """ward_discharged: the rehabilitation plan starts; one plan per journey, whatever arrives twice."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        if plan.created_at is not None or stopped(plan):
            return
        payload = event.payload
        plan.start_date, plan.planned_end = payload["discharged_on"], payload["planned_rehab_end"]
        if plan.departure_fact_at is None:   # a flight travel has booked is the departure, not the plan's
            plan.departure_date = payload["departure_date"]
        plan.status, plan.withdrawn_reason = "awaiting", None  # a discharge proves the surgery happened
        if plan.body_weight_kg is None:
            log.warning("discharged before the body weight is known; the plan waits for it",
                        extra={"journey_id": event.journey_id, "event_id": event.event_id})
        _create_when_ready(uow, plan, rules, clock)


def follow_surgery_plan(uow: UnitOfWork, event: Event) -> None:
    """surgery_scheduled / surgery_rescheduled: before discharge, the expected plan moves along."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        if not _applies(plan, event) or stopped(plan):
            return
        payload = event.payload
        plan.expected_start = payload["planned_ward_discharge"]
        plan.planned_end, plan.departure_date = payload["planned_rehab_end"], payload["departure_date"]
        plan.status, plan.withdrawn_reason = "awaiting", None


def withdraw_for_cancelled_surgery(uow: UnitOfWork, event: Event) -> None:
    """surgery_cancelled before discharge: the plan is withdrawn, and says so."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        if not _applies(plan, event) or plan.status == "withdrawn":
            return
        plan.status, plan.withdrawn_reason = "withdrawn", event.payload["reason_code"]
        uow.emit(RehabPlanWithdrawn, {"plan_id": plan.plan_id, "reason_code": plan.withdrawn_reason},
                 event.journey_id)


def _applies(plan: RehabPlan, event: Event) -> bool:
    """A surgery change counts before discharge, and only if newer than the last one applied."""
    if plan.created_at is not None:
        log.info("surgery change after discharge ignored", extra={"journey_id": event.journey_id,
                                                                  "event_id": event.event_id})
        return False
    last = plan.surgery_fact_at
    if last is not None and aware(last) >= event.occurred_at:
        return False  # an older fact delivered late, through another queue
    plan.surgery_fact_at = event.occurred_at
    return True


def stopped(plan: RehabPlan) -> bool:
    """Withdrawn because the patient withdrew their consent (handlers/consent.py): nothing restarts it."""
    return plan.status == "withdrawn" and plan.withdrawn_reason == CONSENT_WITHDRAWN


def _create_when_ready(uow: UnitOfWork, plan: RehabPlan, rules: Rules, clock: ClinicClock) -> None:
    if plan.created_at is not None or plan.start_date is None or plan.body_weight_kg is None \
            or stopped(plan):
        return
    plan.target_load_kg = target_load(plan.body_weight_kg, rules)
    plan.load_step_kg = rules.load_step_kg
    plan.status, plan.created_at = "active", clock.now()
    uow.emit(RehabPlanCreated, {"plan_id": plan.plan_id, "start_date": plan.start_date,
                                "planned_end": plan.planned_end, "target_load_kg": plan.target_load_kg},
             plan.journey_id)
