"""The sandbox agency's order book: orders, revisions, idempotency keys and switches.

Thread-safe (the sandbox serves threaded). Every change to an order bumps its
revision and produces the webhook event announcing it.
"""
import hashlib
import json
import secrets
import threading
import time
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

FEES = {"flight": 7500, "hotel": 2500}   # cancellation fees, cents


@dataclass
class Switches:
    duplicates: bool = False        # deliver every webhook twice
    reorder: bool = False           # deliver webhooks in swapped pairs
    delay_seconds: float = 0.0      # wait before delivering each webhook
    refuse_book: bool = False
    refuse_change: bool = False
    refuse_cancel: bool = False
    schedule_change_days: int = 0   # the airline moves each newly confirmed outbound flight by N days

    def update(self, values: dict) -> None:
        for f in fields(self):
            if f.name in values:
                setattr(self, f.name, type(f.default)(values[f.name]))


class Refused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class BadRequest(Exception):
    """A request the agency cannot read (422); `code` is the error it answers."""

    def __init__(self, message: str, code: str = "invalid_request"):
        super().__init__(message)
        self.code = code


PASSENGER_FIELDS = ("given_names", "surname", "date_of_birth", "nationality")


class OrderBook:
    def __init__(self, switches: Switches, publish):
        self.switches = switches
        self.publish = publish               # called with each webhook event
        self.orders: dict[str, dict] = {}
        self.keys: dict[str, tuple[str, int, dict]] = {}
        self.calls: list[dict] = []          # every request, for tests and curious humans
        self.lock = threading.RLock()

    def handle(self, action: str, order_id: str | None, key: str | None, payload: dict) -> tuple[int, dict]:
        """Serve one request idempotently: a repeated key gets the first answer, with no new effect."""
        if not key:
            return 400, {"error": "idempotency_key_required"}
        request = json.dumps([action, order_id, payload], sort_keys=True).encode()
        fingerprint = hashlib.sha256(request).hexdigest()
        with self.lock:
            order = self.orders.get(order_id or "", {})
            traveller = payload.get("traveller_ref") or order.get("traveller_ref")
            if key in self.keys:
                first, status, body = self.keys[key]
                self._log(action, traveller, key, "replayed")
                return (status, body) if first == fingerprint else (422, {"error": "idempotency_key_reused"})
            try:
                status, body = getattr(self, action)(order_id, payload)
            except Refused as exc:   # not remembered: the same request may succeed when tried again
                self._log(action, traveller, key, "refused")
                return 409, {"error": exc.code}
            except BadRequest as exc:
                return 422, {"error": exc.code, "message": str(exc)}
            except (KeyError, ValueError) as exc:
                return 422, {"error": "invalid_request", "message": str(exc)}
            self.keys[key] = (fingerprint, status, body)
            self._log(action, traveller, key, "accepted")
            return status, body

    def book(self, _order_id, payload: dict) -> tuple[int, dict]:
        passenger = _passenger(payload)   # no ticket, no room without a named passenger
        if self.switches.refuse_book:
            raise Refused("no_availability")
        order = {"order_id": "ord_" + secrets.token_hex(8), "client_reference": payload["client_reference"],
                 "traveller_ref": payload.get("traveller_ref"), "kind": payload["kind"],
                 "part": payload.get("part"), "status": "confirmed", "revision": 0,
                 "confirmation_code": secrets.token_hex(3).upper(), "fee_cents": 0, "passenger": passenger}
        order.update(_dates(payload))
        self.orders[order["order_id"]] = order
        self._announce(order, "order.confirmed")
        if order["part"] == "outbound" and self.switches.schedule_change_days:
            self._move(order, self.switches.schedule_change_days)
        return 202, {"order_id": order["order_id"], "status": "pending", "revision": order["revision"]}

    def change(self, order_id: str, payload: dict) -> tuple[int, dict]:
        order = self._order(order_id)
        if self.switches.refuse_change or order["status"] == "cancelled":
            raise Refused("change_refused")
        order.update({k: v for k, v in _dates(payload | {"kind": order["kind"]}).items()})
        order.update({k: payload[k] for k in ("origin", "destination") if payload.get(k)})
        self._announce(order, "order.confirmed")
        return 202, {"order_id": order_id, "status": "pending", "revision": order["revision"]}

    def cancel(self, order_id: str, _payload: dict) -> tuple[int, dict]:
        order = self._order(order_id)
        if order["status"] != "cancelled":
            if self.switches.refuse_cancel:
                raise Refused("cancellation_refused")
            order["status"], order["fee_cents"] = "cancelled", FEES[order["kind"]]
            self._announce(order, "order.cancelled")
        return 200, {"order_id": order_id, "status": "cancelled", "fee_cents": order["fee_cents"],
                     "revision": order["revision"]}

    def schedule_change(self, order_id: str, days: int, check_in_days: int = 0,
                        check_out_days: int = 0) -> dict:
        """The airline moves a flight by `days`, or the hotel moves a stay's check-in and check-out
        (by `days`, or each by its own number of days): announced as order.schedule_changed."""
        with self.lock:
            order = self._order(order_id)
            if order["kind"] == "flight":
                self._move(order, days, ("departs_on", "arrives_on"))
            else:
                check_in = _shifted(order["check_in"], days + check_in_days)
                if _shifted(order["check_out"], days + check_out_days) <= check_in:
                    raise BadRequest("the hotel's new check-out must be after its check-in")
                order["check_in"] = check_in
                self._move(order, days + check_out_days, ("check_out",))
            return _public(order)

    def supplier_cancellation(self, order_id: str) -> dict:
        """The airline or the hotel cancels the order on its own (no fee for the client)."""
        with self.lock:
            order = self._order(order_id)
            if order["status"] != "cancelled":
                order["status"] = "cancelled"
                self._announce(order, "order.cancelled")
            return _public(order)

    def _move(self, order: dict, days: int, keys=("departs_on", "arrives_on")) -> None:
        for key in keys:
            order[key] = _shifted(order[key], days)
        self._announce(order, "order.schedule_changed")

    def _announce(self, order: dict, event_type: str) -> None:
        order["revision"] += 1
        self.publish({"id": "evt_" + secrets.token_hex(10), "type": event_type, "created": int(time.time()),
                      "data": _public(order)})

    def _order(self, order_id: str) -> dict:
        if order_id not in self.orders:
            raise BadRequest(f"no order {order_id}")
        return self.orders[order_id]

    def _log(self, action, traveller_ref, key, outcome) -> None:
        self.calls.append({"action": action, "traveller_ref": traveller_ref, "idempotency_key": key,
                           "outcome": outcome})

    def snapshot(self, traveller_ref: str | None = None) -> dict:
        with self.lock:
            orders = [dict(o) for o in self.orders.values()
                      if traveller_ref is None or o["traveller_ref"] == traveller_ref]
            calls = [c for c in self.calls if traveller_ref is None or c["traveller_ref"] == traveller_ref]
            return {"orders": orders, "calls": calls, "switches": asdict(self.switches)}


def _public(order: dict) -> dict:
    """An order as its webhooks tell it: the passenger's identity stays at the agency."""
    return {key: value for key, value in order.items() if key != "passenger"}


def _shifted(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _passenger(payload: dict) -> dict:
    """The named passenger of an order, as on the passport; BadRequest (passenger_required) without."""
    passenger = payload.get("passenger")
    missing = [name for name in PASSENGER_FIELDS
               if not isinstance(passenger, dict) or not str(passenger.get(name) or "").strip()]
    if missing:
        raise BadRequest("An order needs its passenger as on the passport; missing: "
                         f"{', '.join(missing)}.", "passenger_required")
    date.fromisoformat(passenger["date_of_birth"])
    if len(passenger["nationality"]) != 2:
        raise BadRequest("The passenger's nationality must be an ISO 3166 alpha-2 code.", "invalid_passenger")
    return {name: passenger[name] for name in PASSENGER_FIELDS}


def _dates(payload: dict) -> dict:
    if payload["kind"] == "flight":
        day = date.fromisoformat(payload["departs_on"]).isoformat()
        return {"origin": payload.get("origin"), "destination": payload.get("destination"),
                "departs_on": day, "arrives_on": day}
    if payload["kind"] == "hotel":
        check_in = date.fromisoformat(payload["check_in"])
        check_out = date.fromisoformat(payload["check_out"])
        if check_out <= check_in:
            raise BadRequest("check_out must be after check_in")
        return {"check_in": check_in.isoformat(), "check_out": check_out.isoformat()}
    raise BadRequest("kind must be flight or hotel")
