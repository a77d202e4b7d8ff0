"""A withdrawn consent (enquiries' consent_withdrawn): to the processing of their data, nothing more
is sent (what waits is withdrawn, reminders cancelled, later facts send nothing); to marketing, no
marketing mail (care messages still go)."""
from sqlalchemy import update

from services.notifications.models import PENDING, WITHDRAWN, Message, Preference


def honour_withdrawal(uow, clock, event) -> None:
    """Record the withdrawal as the journey's preference, in the handler's transaction."""
    journey = event.journey_id
    with uow:
        row = uow.session.get(Preference, journey, with_for_update=True)
        if row is None:
            row = Preference(journey_id=journey, checkup_reminders=True, marketing_mail=True)
            uow.session.add(row)
        row.updated_at, row.updated_by = clock.now(), uow.actor or "system"
        if event.payload["purpose"] == "marketing":
            row.marketing_mail = False
            return
        row.processing_stopped_at = row.processing_stopped_at or clock.now()
        uow.session.execute(update(Message).where(Message.journey_id == journey, Message.status == PENDING)
                            .values(status=WITHDRAWN, last_error="consent withdrawn"))
        uow.cancel_timers(journey_id=journey)


def stopped(session, journey_id: str) -> bool:
    """The person withdrew the consent their mail depends on: nothing more goes to them."""
    row = session.get(Preference, journey_id)
    return row is not None and row.processing_stopped_at is not None
