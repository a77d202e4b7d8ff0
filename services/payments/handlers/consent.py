"""A withdrawn consent to process the patient's data: payments' deadlines stop falling due (no deposit
or balance overdue); the invoice itself closes when surgery announces the cancellation it causes."""
PROCESSING = ("privacy", "health_data")


def stop_deadlines(uow, event) -> None:
    """enquiries.consent_withdrawn: cancel the journey's timers (marketing consent changes nothing)."""
    if event.payload["purpose"] not in PROCESSING:
        return
    with uow:
        uow.cancel_timers(journey_id=event.journey_id)
