"""Answering an erasure request: every service replies once, with what it did."""
from shared.contracts.journey import ErasureConfirmed

RETAINED = "medical record retention (20 years)"


def confirm_erasure(uow, event, *, erased: bool, retained_reason: str | None = None) -> None:
    """Emit this service's one `erasure_confirmed` for the request in `event` (inside `with uow`)."""
    uow.emit(ErasureConfirmed, {"request_id": event.payload["request_id"], "service": uow.producer,
                                "erased": erased, "retained_reason": retained_reason},
             event.journey_id)
