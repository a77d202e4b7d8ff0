"""My work gathered for one role (domain/work.py says what, handlers/work_sources.py where from): every
service the role's sections need is asked at once, each in a green thread of its own with a short timeout.
A service that does not answer in time, answers with an error or is not running leaves its sections saying
they could not be loaded; the rest still shows. Names come from enquiries in one call, for the roles that
may see who a patient is."""
import logging
from collections import defaultdict
from functools import partial

import eventlet

from services.gateway.domain import work as rules
from services.gateway.domain.roles import NAME_READERS
from services.gateway.handlers.work_sources import SOURCES, SOURCES_OF
from shared import work

log = logging.getLogger(__name__)


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


def gather(gateway, role: str, limit: int, with_names: bool, seconds: float) -> dict:
    """Everything waiting for `role`, asked now: one section per kind, names beside the journeys where
    allowed; each service `seconds` at most."""
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
    return {"role": role, "total": total, "capped": capped, "sections": sections, "journey_ids": ids,
            "names_shown": names is not None, "names_away": readers and names is None}


def _names(gateway, ids: list[str], seconds: float) -> dict | None:
    if not ids:
        return {}
    found = _guarded("names", partial(gateway.enquiries_rpc.names_for, ids), seconds)
    return None if found is None else {item["journey_id"]: item["name"] for item in found}
