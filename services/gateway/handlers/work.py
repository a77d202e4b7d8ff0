"""My work, gathered for one role (domain/work.py says what): every service the role's sections need is
asked at once, each in a green thread of its own with a short timeout (GATEWAY.work_source_timeout_seconds,
2 s). A service that does not answer in time, answers with an error or is not running leaves its sections
saying they could not be loaded; the rest still shows. Names come from enquiries in one call, for the roles
that may see who a patient is. The navigation's count is the same gathering cut to one item a kind, kept
per role for GATEWAY.work_count_seconds (10 s) in each gateway process."""
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

import eventlet
from sqlalchemy import select

from services.gateway.domain import work as rules
from services.gateway.domain.roles import NAME_READERS
from services.gateway.models import StaffUser
from shared import operations, work
from shared.clock import clinic_clock
from shared.config import section
from shared.contracts.api.operations import SERVICES
from shared.contracts.api.work import WorkQueue
from shared.edge import dump

log = logging.getLogger(__name__)

# each answers work_queues (shared/contracts/api/work.py)
QUEUE_SERVICES = ("enquiries", "followup", "surgery", "rehabilitation", "notifications")
SHOWN = 25        # items a section shows; its total counts them all
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
        letters = (operations.letters(name, gateway.uow._store) if name == gateway.name
                   else getattr(gateway, f"{name}_rpc").dead_letters())
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


def timeouts(config: dict) -> tuple[float, float]:
    """(seconds a service has to answer, seconds the navigation's count is kept)."""
    conf = section(config, "GATEWAY", work_source_timeout_seconds=2, work_count_seconds=10)
    return float(conf["work_source_timeout_seconds"]), float(conf["work_count_seconds"])


def _guarded(name: str, call, seconds: float):
    """What a source answers, or None when it cannot just now (the reason is logged, never a name)."""
    try:
        with eventlet.Timeout(seconds):
            return call()
    except eventlet.Timeout:
        log.warning("a source of My work did not answer in time", extra={"source": name})
    except Exception as exc:   # a service away, or one that failed: its sections say so, the page shows
        log.warning("a source of My work could not be asked",
                    extra={"source": name, "status": type(exc).__name__})
    return None


def _ask(gateway, role: str, plan: dict, limit: int, seconds: float) -> dict:
    """Every source at once; the gateway's own in this thread (its unit of work is this request's)."""
    calls = {name: partial(SOURCES[name].fetch, gateway, role, kinds, limit) for name, kinds in plan.items()}
    remote = [name for name in calls if not SOURCES[name].local]
    pool = eventlet.GreenPool(max(1, len(remote)))
    threads = {name: pool.spawn(_guarded, name, calls[name], seconds) for name in remote}
    answers = {name: _guarded(name, call, seconds) for name, call in calls.items() if SOURCES[name].local}
    answers.update({name: thread.wait() for name, thread in threads.items()})
    return answers


def _section(kind: str, answers: dict, limit: int) -> dict:
    sources = SOURCES_OF[kind]
    got = [answers[name][kind] for name in sources if answers[name] is not None]
    missing = [SOURCES[name].service for name in sources if answers[name] is None]
    if len(got) > 1:   # one kind from several services (dead letters): their items merged, most urgent first
        merged = work.listed(kind, [item for queue in got for item in queue["items"]], limit)
        got = [dict(merged, total=sum(queue["total"] for queue in got),
                    capped=any(queue.get("capped") for queue in got))]
    return rules.section(kind, got[0] if got else None, missing)


def inbox(gateway, role: str, limit: int = SHOWN, with_names: bool = True) -> dict:
    """Everything waiting for `role`: one section per kind, names beside the journeys where allowed."""
    seconds, _ = timeouts(gateway.config)
    kinds = rules.kinds_for(role)
    plan = defaultdict(list)
    for kind in kinds:
        for name in SOURCES_OF[kind]:
            plan[name].append(kind)
    answers = _ask(gateway, role, plan, limit, seconds)
    sections = rules.arranged([_section(kind, answers, limit) for kind in kinds])
    ids = sorted({item["journey_id"] for s in sections for item in s["items"] if item["journey_id"]})
    readers = with_names and role in NAME_READERS
    names = _names(gateway, ids, seconds) if readers else None
    for s in sections:
        for item in s["items"]:
            item["name"] = names.get(item["journey_id"]) if names else None
    total, capped = sum(s["total"] for s in sections), any(s["capped"] for s in sections)
    remember(gateway, role, f"{total}+" if capped else str(total))
    return {"role": role, "total": total, "capped": capped, "sections": sections, "journey_ids": ids,
            "names_shown": names is not None, "names_away": readers and names is None}


def _names(gateway, ids: list[str], seconds: float) -> dict | None:
    if not ids:
        return {}
    found = _guarded("names", partial(gateway.enquiries_rpc.names_for, ids), seconds)
    return None if found is None else {item["journey_id"]: item["name"] for item in found}


_COUNTS: dict[tuple, tuple[float, str]] = {}


def _key(gateway, role: str) -> tuple:
    """Per system (a test process may run several) and role."""
    return gateway.config.get("AMQP_URI"), gateway.config.get("WEB_SERVER_ADDRESS"), role


def remember(gateway, role: str, total: str) -> None:
    _COUNTS[_key(gateway, role)] = (time.monotonic() + timeouts(gateway.config)[1], total)


def nav_count(gateway, principal) -> str | None:
    """How many things wait for the signed-in role, for the navigation ("7", "500+"): kept a few seconds
    per role; None for who has no inbox, or when it cannot be said."""
    if principal is None or principal.role not in rules.ROLE_KINDS:
        return None
    kept = _COUNTS.get(_key(gateway, principal.role))
    if kept and kept[0] > time.monotonic():
        return kept[1]
    try:
        inbox(gateway, principal.role, limit=1, with_names=False)
        return _COUNTS[_key(gateway, principal.role)][1]
    except Exception:   # the navigation never fails a page
        log.exception("the navigation's count of My work could not be made")
        return None
