"""Erasure: notifications never stores an address; what is still to be sent is withdrawn, the
journey's timers cancelled, its thread with the care team deleted with every attachment, and the
local sink's copies (a local run) removed by the caller. A purge (the retention period ended)
deletes the journey's mail log too: every message row, whatever became of it."""
from sqlalchemy import select, update

from services.notifications.handlers import conversations
from services.notifications.models import PENDING, SENT, WITHDRAWN, Base, Message, Preference, kernel
from shared.erasure import confirm_erasure, is_purge, purge_rows, scrub_kernel


def erase(uow, event) -> list[str]:
    """Withdraw pending messages, forget preferences, timers and the thread with the care team;
    returns the ids of sent messages (their copies in a local sink are removed). Confirmed once."""
    journey = event.journey_id
    with uow:
        uow.session.execute(update(Message).where(Message.journey_id == journey, Message.status == PENDING)
                            .values(status=WITHDRAWN, last_error="erasure requested"))
        sent = list(uow.session.scalars(select(Message.id).where(Message.journey_id == journey,
                                                                 Message.status == SENT)))
        preference = uow.session.get(Preference, journey)
        if preference is not None:
            uow.session.delete(preference)
        uow.cancel_timers(journey_id=journey)
        conversations.erase(uow, journey)
        if is_purge(event):
            purge_rows(uow.session, Base.metadata, journey)
        scrub_kernel(uow.session, kernel, journey)
        confirm_erasure(uow, event, erased=True)
    return sent
