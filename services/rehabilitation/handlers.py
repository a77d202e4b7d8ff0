"""Reactions to other stages' events: the plan follows the patient, the surgery and the ward.

Facts arrive in any order (each event type has its own queue), so every
handler works on the journey's record, made on first contact, and the plan is
created once both the discharge and the body weight are known.
"""
import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.rehabilitation.domain import Rules, target_load
from services.rehabilitation.models import RehabPlan
from shared.db import UnitOfWork
from shared.events import Event

log = logging.getLogger(__name__)


def record_for(session, journey_id: str) -> RehabPlan:
    """The journey's record, locked for this transaction, made on first contact.

    Two first facts about a journey may be handled at once: insert-if-absent,
    then lock, so neither fails on the other's insert.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(RehabPlan).values(
        journey_id=journey_id, plan_id=str(uuid.uuid4()), status="awaiting", attention="",
    ).on_conflict_do_nothing(index_elements=["journey_id"]))
    return session.get(RehabPlan, journey_id, with_for_update=True)


def remember_patient(uow: UnitOfWork, event: Event, rules: Rules) -> None:
    """patient_accepted: keep the body weight the target load is computed from."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        plan.body_weight_kg = event.payload["body_weight_kg"]
        _create_when_ready(uow, plan, rules)


def start_after_discharge(uow: UnitOfWork, event: Event, rules: Rules) -> None:
    """ward_discharged: the rehabilitation plan starts; one plan per journey, whatever arrives twice."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        if plan.created_at is not None:
            return
        payload = event.payload
        plan.start_date, plan.planned_end = payload["discharged_on"], payload["planned_rehab_end"]
        plan.departure_date = payload["departure_date"]
        plan.status, plan.withdrawn_reason = "awaiting", None  # a discharge proves the surgery happened
        if plan.body_weight_kg is None:
            log.warning("discharged before the body weight is known; the plan waits for it",
                        extra={"journey_id": event.journey_id, "event_id": event.event_id})
        _create_when_ready(uow, plan, rules)


def follow_surgery_plan(uow: UnitOfWork, event: Event) -> None:
    """surgery_scheduled / surgery_rescheduled: before discharge, the expected plan moves along."""
    with uow:
        plan = record_for(uow.session, event.journey_id)
        if not _applies(plan, event):
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
        uow.emit("rehab_plan_withdrawn", {"plan_id": plan.plan_id, "reason_code": plan.withdrawn_reason},
                 event.journey_id)


def confirm_erasure(uow: UnitOfWork, event: Event) -> None:
    """erasure_requested: this stage holds no enquirer data (only accepted patients' plans)."""
    with uow:
        uow.emit("erasure_confirmed", {"request_id": event.payload["request_id"],
                                       "service": "rehabilitation", "erased": True}, event.journey_id)


def _applies(plan: RehabPlan, event: Event) -> bool:
    """A surgery change counts before discharge, and only if newer than the last one applied."""
    if plan.created_at is not None:
        log.info("surgery change after discharge ignored", extra={"journey_id": event.journey_id,
                                                                  "event_id": event.event_id})
        return False
    last = plan.surgery_fact_at
    if last is not None and _aware(last) >= event.occurred_at:
        return False  # an older fact delivered late, through another queue
    plan.surgery_fact_at = event.occurred_at
    return True


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


def _create_when_ready(uow: UnitOfWork, plan: RehabPlan, rules: Rules) -> None:
    if plan.created_at is not None or plan.start_date is None or plan.body_weight_kg is None:
        return
    plan.target_load_kg = target_load(plan.body_weight_kg, rules)
    plan.load_step_kg = rules.load_step_kg
    plan.status, plan.created_at = "active", datetime.now(UTC)
    uow.emit("rehab_plan_created", {
        "plan_id": plan.plan_id, "start_date": plan.start_date.isoformat(),
        "planned_end": plan.planned_end.isoformat(), "target_load_kg": str(plan.target_load_kg)},
        plan.journey_id)
