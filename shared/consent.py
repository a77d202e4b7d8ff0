"""A withdrawn consent (enquiries' consent_withdrawn), as every stage reads it."""
from shared.contracts.enquiries import PROCESSING_CONSENTS
from shared.events import Event


def stops_processing(event: Event) -> bool:
    """A withdrawn privacy or health data consent: nothing more about the person may go on (a withdrawn
    marketing consent stops marketing mail only)."""
    return event.payload["purpose"] in PROCESSING_CONSENTS


def stop_deadlines(uow, event: Event) -> None:
    """Cancel the journey's timers in the handler's transaction: no deadline of this stage falls due."""
    if stops_processing(event):
        with uow:
            uow.cancel_timers(journey_id=event.journey_id)
