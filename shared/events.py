"""The event envelope and the registry of payload contracts.

Every event carries its own id, the journey it belongs to, what caused it,
when it happened and a schema version. Payloads are validated against the
marshmallow schema registered for (type, version) at the producer and again
at the consumer. Payloads carry ids and facts, never names or notes.
"""
import importlib
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields

_contracts: dict[tuple[str, int], type[Schema]] = {}
_upcasters: dict[tuple[str, int], Callable[[dict], dict]] = {}
_loaded = False


class EventContractError(Exception):
    """A producer tried to emit a payload that breaks its contract."""


class MalformedEvent(Exception):
    """A message that is not a valid envelope, or whose payload breaks its contract."""


class UnknownEventVersion(MalformedEvent):
    """No contract is registered for the event's (type, version)."""


def contract(event_type: str, version: int = 1):
    """Class decorator registering a payload schema for (event_type, version)."""
    def register(schema_cls: type[Schema]) -> type[Schema]:
        _contracts[(event_type, version)] = schema_cls
        schema_cls.event_type, schema_cls.event_version = event_type, version
        return schema_cls
    return register


def upcaster(event_type: str, from_version: int):
    """Register a function turning a `from_version` payload into the next version's."""
    def register(func: Callable[[dict], dict]) -> Callable[[dict], dict]:
        _upcasters[(event_type, from_version)] = func
        return func
    return register


def _load_contracts() -> None:
    global _loaded
    if not _loaded:
        import shared.contracts as package
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
        importlib.import_module("shared.contracts.api.webhooks")  # handed to one service
        _loaded = True


_instances: dict[tuple[str, int], Schema] = {}


def schema_for(event_type: str, version: int) -> Schema:
    """The contract's schema, built once: building one costs more than loading a payload with it."""
    _load_contracts()
    key = (event_type, version)
    if key not in _instances:
        try:
            _instances[key] = _contracts[key]()
        except KeyError:
            raise UnknownEventVersion(f"no contract for {event_type} v{version}") from None
    return _instances[key]


def contract_producers() -> dict[str, str]:
    """{event type: producing service} for every contract in shared/contracts.

    A contract's producer is the module declaring it (shared/contracts/payments.py
    holds what `payments` publishes). Those under shared/contracts/api are handed to one
    consumer (a verified webhook, shared/handoff.py), not facts of a journey: left out.
    """
    _load_contracts()
    prefix = "shared.contracts."
    return {event_type: schema.__module__.removeprefix(prefix)
            for (event_type, _version), schema in sorted(_contracts.items())
            if schema.__module__.startswith(prefix) and "." not in schema.__module__.removeprefix(prefix)}


def latest_version(event_type: str) -> int:
    _load_contracts()
    versions = [v for (t, v) in _contracts if t == event_type]
    if not versions:
        raise EventContractError(f"no contract for event type {event_type!r}")
    return max(versions)


@dataclass(frozen=True)
class Event:
    event_id: str
    type: str
    version: int
    occurred_at: datetime
    journey_id: str
    producer: str
    payload: dict[str, Any]
    causation_id: str | None = None
    correlation_id: str | None = None
    actor: str | None = None          # the staff id (or patient link) that asked, if any
    wire_payload: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    event_id = fields.UUID(required=True)
    type = fields.String(required=True)
    version = fields.Integer(required=True, strict=True)
    occurred_at = fields.AwareDateTime(required=True)
    journey_id = fields.UUID(required=True)
    causation_id = fields.String(load_default=None, allow_none=True)
    correlation_id = fields.String(load_default=None, allow_none=True)
    actor = fields.String(load_default=None, allow_none=True)
    producer = fields.String(required=True)
    payload = fields.Dict(required=True)


_ENVELOPE = EnvelopeSchema()


def new_event(producer: str, event_type: "str | type[Schema]", payload: dict, journey_id: str, *,
              cause: "Event | str | None" = None, correlation_id: str | None = None,
              actor: str | None = None, version: int | None = None) -> Event:
    """Build an event; a payload that breaks its contract is the producer's error.

    `event_type` is best given as the contract class itself (`uow.emit(DepositPaid, {...})`):
    its payload may then hold dates and other Python values, dumped by the contract.
    """
    if not isinstance(event_type, str):
        contract_cls = event_type
        event_type, version = contract_cls.event_type, contract_cls.event_version
        payload = schema_for(event_type, version).dump(payload)
    version = version or latest_version(event_type)
    try:
        schema = schema_for(event_type, version)
        wire = schema.dump(schema.load(payload, unknown=RAISE))
    except (UnknownEventVersion, ValidationError) as exc:
        detail = exc.messages if isinstance(exc, ValidationError) else str(exc)
        raise EventContractError(f"{event_type} v{version}: {detail}") from None
    if isinstance(cause, Event):
        causation_id, correlation_id = cause.event_id, cause.correlation_id or correlation_id
    else:
        causation_id = cause
    event_id = str(uuid.uuid4())
    return Event(
        event_id=event_id, type=event_type, version=version,
        occurred_at=datetime.now(UTC), journey_id=str(journey_id),
        producer=producer, payload=schema.load(wire), wire_payload=wire,
        causation_id=causation_id, correlation_id=correlation_id or event_id, actor=actor,
    )


def to_wire(event: Event) -> dict:
    """The JSON-ready body published on the broker."""
    return {
        "event_id": event.event_id, "type": event.type, "version": event.version,
        "occurred_at": event.occurred_at.isoformat(), "journey_id": event.journey_id,
        "causation_id": event.causation_id, "correlation_id": event.correlation_id,
        "actor": event.actor, "producer": event.producer, "payload": event.wire_payload,
    }


def from_wire(body: Any) -> Event:
    """Parse and validate a received body; anything wrong raises MalformedEvent."""
    _load_contracts()
    if not isinstance(body, dict):
        raise MalformedEvent(f"event body must be an object, got {type(body).__name__}")
    try:
        envelope = _ENVELOPE.load(body)
    except ValidationError as exc:
        raise MalformedEvent(f"bad envelope: {exc.messages}") from None
    event_type, version = envelope["type"], envelope["version"]
    payload = envelope["payload"]
    while (event_type, version) in _upcasters and (event_type, version + 1) in _contracts:
        payload, version = _upcasters[(event_type, version)](payload), version + 1
    schema = schema_for(event_type, version)
    try:
        loaded = schema.load(payload, unknown=EXCLUDE)
    except ValidationError as exc:
        raise MalformedEvent(f"bad {event_type} v{version} payload: {exc.messages}") from None
    return Event(
        event_id=str(envelope["event_id"]), type=event_type, version=version,
        occurred_at=envelope["occurred_at"].astimezone(UTC),
        journey_id=str(envelope["journey_id"]), producer=envelope["producer"],
        payload=loaded, wire_payload=schema.dump(loaded),
        causation_id=envelope["causation_id"], correlation_id=envelope["correlation_id"],
        actor=envelope["actor"],
    )
