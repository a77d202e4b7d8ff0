"""My work for the pages and the API (handlers/work_gather.py asks the services). An inbox is the same for
everyone of a role, so one gathering serves every request of that role for GATEWAY.work_inbox_seconds
(2 s) in each gateway process, and the next one is gathered in the background while the kept one is
still shown: the services are asked at most once a role every two seconds however many staff look, no
request but a role's first waits for them, and what a page shows is at most that old plus one gathering
(the services' own facts arrive by events, seconds apart, anyway). Each view is
still its own read in the access log. The navigation's count comes from the same gathering, or one cut to
an item a kind that waits at most NAV_SECONDS for a service, kept GATEWAY.work_count_seconds (10 s)."""
import logging
import time

import eventlet
from eventlet.event import Event

from services.gateway.domain import work as rules
from services.gateway.handlers.work_gather import gather
from services.gateway.handlers.work_sources import SHOWN
from shared.config import section

log = logging.getLogger(__name__)
NAV_SECONDS = 0.5   # what the navigation's count waits for a service, at most

_INBOXES: dict[tuple, tuple[float, dict]] = {}
_GATHERING: dict[tuple, Event] = {}
_COUNTS: dict[tuple, tuple[float, str]] = {}


def settings(config: dict) -> dict:
    """Seconds: a service's to answer, an inbox's and the navigation's count's to be kept."""
    conf = section(config, "GATEWAY", work_source_timeout_seconds=2, work_inbox_seconds=2,
                   work_count_seconds=10)
    return {name: float(conf[f"work_{name}_seconds"]) for name in ("source_timeout", "inbox", "count")}


def _key(gateway, role: str) -> tuple:
    """Per system (a test process may run several) and role."""
    return gateway.config.get("AMQP_URI"), gateway.config.get("WEB_SERVER_ADDRESS"), role


def inbox(gateway, role: str) -> dict:
    """Everything waiting for `role` (shared by the role's requests for a moment: never change it).

    Once a kept inbox is older than GATEWAY.work_inbox_seconds, the next request starts gathering a new
    one in the background and is answered with the kept one meanwhile, as are those arriving while the
    gathering runs: no request waits for the services except the very first of a role (and those beside
    it). A page so shows what was waiting at most the kept time plus one gathering ago (each service has
    GATEWAY.work_source_timeout_seconds to answer, and names as long again)."""
    key = _key(gateway, role)
    kept = _INBOXES.get(key)
    if kept and (kept[0] > time.monotonic() or key in _GATHERING):
        return kept[1]
    if key in _GATHERING:
        return _GATHERING[key].wait()
    running = _GATHERING[key] = Event()
    if kept:
        eventlet.spawn_n(_gather, gateway, role, key, running, quiet=True)
        return kept[1]
    return _gather(gateway, role, key, running)


def _gather(gateway, role: str, key: tuple, running: Event, quiet: bool = False) -> dict | None:
    conf = settings(gateway.config)
    try:
        shown = gather(gateway, role, SHOWN, with_names=True, seconds=conf["source_timeout"])
        _INBOXES[key] = (time.monotonic() + conf["inbox"], shown)
        _remember(gateway, role, shown)
        running.send(shown)
        return shown
    except Exception as exc:
        running.send_exception(exc)
        if quiet:   # the kept inbox was shown; the next request past its time tries again
            log.exception("My work could not be gathered again")
            return None
        raise
    finally:
        _GATHERING.pop(key, None)


def _remember(gateway, role: str, shown: dict) -> None:
    total = f"{shown['total']}+" if shown["capped"] else str(shown["total"])
    _COUNTS[_key(gateway, role)] = (time.monotonic() + settings(gateway.config)["count"], total)


def nav_count(gateway, principal) -> str | None:
    """How many things wait for the signed-in role, for the navigation ("7", "100+"): kept a few seconds
    per role; None for who has no inbox, or when it cannot be said."""
    if principal is None or principal.role not in rules.ROLE_KINDS:
        return None
    key = _key(gateway, principal.role)
    if key not in _COUNTS or _COUNTS[key][0] <= time.monotonic():
        try:   # a service away costs a page at most NAV_SECONDS, once a role and kept time
            seconds = min(NAV_SECONDS, settings(gateway.config)["source_timeout"])
            _remember(gateway, principal.role, gather(gateway, principal.role, 1, False, seconds))
        except Exception:   # the navigation never fails a page
            log.exception("the navigation's count of My work could not be made")
            return None
    return _COUNTS[key][1]
