"""A withdrawn consent to process the patient's data (enquiries' consent_withdrawn): follow-up's
deadlines stop falling due (no check-up missed, no review or escalation overdue); the record stays
for its retention period. Marketing consent changes nothing here."""
PROCESSING = ("privacy", "health_data")


def stop_deadlines(uow, event) -> None:
    """Cancel the journey's timers, in the handler's transaction."""
    if event.payload["purpose"] not in PROCESSING:
        return
    with uow:
        uow.cancel_timers(journey_id=event.journey_id)
