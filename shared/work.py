"""What waits for staff in a service (its `work_queues` RPC, shared/contracts/api/work.py), done one way:
each kind of work is a query of its rows in the order they are to be done; the answer is its first few
and how many there are, counted up to CAP (beyond, the count says so: `capped`), so a backlog of
thousands costs a bounded read, never a scan of every row; a kind judged in Python is cut alike."""
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache

from sqlalchemy import Date, bindparam, func, select

from shared.clock import aware
from shared.errors import Invalid

CAP = 100   # a kind counts its items up to this many; beyond, the count reads "100+"


def check_kinds(asked: Iterable[str], known: Iterable[str]) -> None:
    """Refuse a kind this service does not know (422 naming the field)."""
    known = tuple(known)
    unknown = [kind for kind in asked if kind not in known]
    if unknown:
        raise Invalid(f"there is no kind of work called {unknown[0][:60]!r} here",
                      fields={"kinds": [f"each one of {', '.join(known)}"]})


def counted(query, limit: int):
    """`query` (already in order) cut to its first `limit` rows, each carrying how many rows there are up
    to CAP (a subquery of its own, without the order): built once per kind and limit, then executed with
    its parameters, so a request pays neither the building nor the compiling again."""
    total = (select(func.count()).select_from(query.order_by(None).limit(CAP + 1).subquery())
             .scalar_subquery().label("work_total"))
    return query.add_columns(total).limit(limit)


def queue(session, kind: str, statement, item: Callable, params: dict) -> dict:
    """A kind's WorkQueue: its statement (see `counted`) executed with `params`, each row made a WorkItem
    by item(row, params)."""
    rows = session.execute(statement, params).all()
    total = rows[0].work_total if rows else 0
    return {"kind": kind, "total": min(total, CAP), "capped": total > CAP,
            "items": [item(row, params) for row in rows]}


class DayWindowKinds:
    """A service's kinds of work judged against the clinic's today and a horizon so many days ahead:
    each kind, `build(params) -> (query, item)`, is built once per limit, then only executed."""

    PARAMS = {name: bindparam(name, type_=Date()) for name in ("today", "horizon")}

    def __init__(self, kinds: dict[str, Callable]):
        self.kinds = kinds
        self.statement = cache(self._statement)

    def queues(self, uow, clock, query: dict) -> dict:
        """The kinds asked for, each counted beside its first `limit` items."""
        check_kinds(query["kinds"], self.kinds)
        today = clock.today()
        params = {"today": today, "horizon": today + timedelta(days=query["ahead_days"])}
        with uow:
            return {"queues": [queue(uow.session, kind, *self.statement(kind, query["limit"]), params)
                               for kind in query["kinds"]]}

    def _statement(self, kind: str, limit: int) -> tuple:
        query, item = self.kinds[kind](self.PARAMS)
        return counted(query, limit), item


def listed(kind: str, items: list[dict], limit: int) -> dict:
    """Items judged in Python: overdue first, then by when due, then the oldest; the first `limit`."""
    return {"kind": kind, "total": len(items), "capped": False, "items": sorted(items, key=urgency)[:limit]}


def item(journey_id: str | None, *, reference=None, code: str | None = None, count: int | None = None,
         since: datetime | None = None, due_at: datetime | None = None, due_on: date | None = None,
         overdue: bool = False) -> dict:
    """One WorkItem (ids, codes and dates only: never a name or a note)."""
    return {"journey_id": journey_id, "reference": None if reference is None else str(reference),
            "code": code, "count": count, "since": aware(since), "due_at": aware(due_at), "due_on": due_on,
            "overdue": bool(overdue)}


_LAST = "9999"


def urgency(entry: dict) -> tuple:
    """Overdue first, then the soonest due, then the longest waiting (ISO text or dates and instants)."""
    due = entry.get("due_at") or entry.get("due_on")
    since = entry.get("since")
    return (not entry.get("overdue"), _text(due) if due else _LAST, _text(since) if since else _LAST)


def _text(value) -> str:
    """A comparable UTC text of an instant or a day (a day is its midnight, UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return f"{value.isoformat()}T00:00:00+00:00"
