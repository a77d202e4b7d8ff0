"""Where My work's items come from (handlers/work.py asks them): each source is one call to an owning
service, or a read of the gateway's own database, turned into WorkQueues (shared/contracts/api/work.py) by
kind. Enquiries, follow-up, surgery, rehabilitation and notifications answer `work_queues` themselves;
payments and travel their existing lists (finance's attention list, the outstanding deposits, the travel
desk's open tasks), cut here the same way; the administrator's dead letters are every service's own."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from services.gateway.domain import work as rules
from services.gateway.handlers import operations
from services.gateway.models import StaffUser
from shared import work
from shared.clock import clinic_clock
from shared.contracts.api.operations import SERVICES
from shared.contracts.api.work import WorkQueue
from shared.edge import dump

# each answers work_queues (shared/contracts/api/work.py)
QUEUE_SERVICES = ("enquiries", "followup", "surgery", "rehabilitation", "notifications")
SHOWN = 10        # items a section shows, the most urgent; its total counts them all
AHEAD_DAYS = 7    # appointments, checks and check-ups this many days ahead are already waiting
ATTENTION = {"disputed": "payment_disputed", "balance_overdue": "balance_overdue",
             "unmatched_provider_event": "payment_unmatched", "failed_refund": "refund_failed",
             "manual_refund": "refund_to_make", "overpaid": "refund_to_make"}


@dataclass(frozen=True)
class Source:
    service: str          # who is away when it does not answer
    fetch: object         # fetch(gateway, role, kinds, limit) -> {kind: WorkQueue}
    local: bool = False   # the gateway's own database: asked in the request's own thread


def _parsed(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


def _cut(by_kind: dict, kinds, limit: int) -> dict:
    return {kind: dump(WorkQueue, work.listed(kind, by_kind.get(kind, []), limit)) for kind in kinds}


def _work_queues(name: str):
    def fetch(gateway, role, kinds, limit):
        answer = getattr(gateway, f"{name}_rpc").work_queues({"kinds": list(kinds), "limit": limit,
                                                              "ahead_days": AHEAD_DAYS, "role": role})
        return {queue["kind"]: queue for queue in answer["queues"]}
    return fetch


def _attention(gateway, role, kinds, limit):
    now, found = clinic_clock(gateway.config).now(), defaultdict(list)
    for entry in gateway.payments_rpc.needing_attention()["items"]:
        deadline = _parsed(entry["deadline"])
        found[ATTENTION[entry["kind"]]].append(work.item(
            entry["journey_id"], reference=entry["reference"] or entry["invoice_id"], code=entry["kind"],
            since=_parsed(entry["since"]), due_at=deadline,
            overdue=entry["kind"] == "balance_overdue" or bool(deadline and deadline < now)))
    return _cut(found, kinds, limit)


def _deposits(gateway, role, kinds, limit):
    found = [work.item(row["journey_id"], reference=row["invoice_id"], code=row["last_failure_code"],
                       due_on=date.fromisoformat(row["deposit_due"]), overdue=True)
             for row in gateway.payments_rpc.outstanding_deposits() if row["overdue"]]
    return _cut({"deposit_overdue": found}, kinds, limit)


def _desk(gateway, role, kinds, limit):
    found = defaultdict(list)
    for task in gateway.travel_rpc.open_tasks():
        found["travel_conflict" if task["kind"] == "conflict" else "travel_task"].append(work.item(
            task["journey_id"], reference=task["id"], code=task["code"], since=_parsed(task["opened_at"])))
    return _cut(found, kinds, limit)


def _letters(name: str):
    def fetch(gateway, role, kinds, limit):
        letters = operations.letters(gateway, name)
        found = [work.item(letter["journey_id"], reference=f"{name}/{letter['id']}",
                           code=letter["event_type"], since=_parsed(letter["parked_at"]))
                 for letter in letters]
        return _cut({"dead_letter": found}, kinds, limit)
    return fetch


def _users(gateway, role, kinds, limit):
    with gateway.uow:
        rows = gateway.uow.session.execute(
            select(StaffUser.id, StaffUser.username, StaffUser.created_at)
            .where(StaffUser.must_change_password.is_(True), StaffUser.active.is_(True))
            .order_by(StaffUser.created_at)).all()
    found = [work.item(None, reference=row.id, code=row.username, since=row.created_at) for row in rows]
    return _cut({"users_one_time_password": found}, kinds, limit)


SOURCES = {
    **{name: Source(name, _work_queues(name)) for name in QUEUE_SERVICES},
    "payments_attention": Source("payments", _attention), "payments_deposits": Source("payments", _deposits),
    "travel_desk": Source("travel", _desk),
    **{f"letters_{name}": Source(name, _letters(name), local=name == "gateway") for name in SERVICES},
    "users": Source("gateway", _users, local=True),
}
ATTENTION_KINDS = tuple(dict.fromkeys(ATTENTION.values()))
SOURCES_OF = {
    **{kind: (spec.service,) for kind, spec in rules.KINDS.items() if spec.service in SOURCES},
    **dict.fromkeys(ATTENTION_KINDS, ("payments_attention",)), "deposit_overdue": ("payments_deposits",),
    "travel_conflict": ("travel_desk",), "travel_task": ("travel_desk",),
    "dead_letter": tuple(f"letters_{name}" for name in SERVICES), "users_one_time_password": ("users",),
}
