"""Erasure: notifications never stores an address; what is still to be sent is withdrawn, the
journey's timers cancelled, its thread with the care team deleted with every attachment, and the
local sink's copies (a local run) removed by the caller. A purge (the retention period ended)
deletes the journey's mail log too: every message row, whatever became of it."""
from sqlalchemy import select, update

from services.notifications.handlers import conversations
from services.notifications.models import PENDING, SENT, WITHDRAWN, Base, Message, Preference, kernel
from shared.erasure import confirm_erasure, is_purge, purge_rows, scrub_kernel


def erase(uow, clock, event) -> list[str]:
    """Withdraw pending messages, forget timers and the thread with the care team (the preference
    stays as a tombstone that stops every later message);
    returns the ids of sent messages (their copies in a local sink are removed). Confirmed once."""
    journey, now = event.journey_id, clock.now()
    with uow:
        uow.session.execute(update(Message).where(Message.journey_id == journey, Message.status == PENDING)
                            .values(status=WITHDRAWN, last_error="erasure requested"))
        sent = list(uow.session.scalars(select(Message.id).where(Message.journey_id == journey,
                                                                 Message.status == SENT)))
        # What stays is a tombstone: a fact that reaches us late sends nothing to someone erased.
        preference = uow.session.get(Preference, journey, with_for_update=True) or \
            Preference(journey_id=journey)
        preference.checkup_reminders, preference.marketing_mail = False, False
        preference.processing_stopped_at = preference.processing_stopped_at or now
        preference.updated_at, preference.updated_by = now, "erasure"
        uow.session.add(preference)
        uow.cancel_timers(journey_id=journey)
        conversations.erase(uow, journey)
        if is_purge(event):
            purge_rows(uow.session, Base.metadata, journey, keep=("preferences",))
        scrub_kernel(uow.session, kernel, journey)
        confirm_erasure(uow, event, erased=True)
    return sent
