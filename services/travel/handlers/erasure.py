"""Erasure: travel keeps only a country (and the desk's airport choice) for patients it books.

The passenger's identity is never stored here (asked of enquiries for each booking), so there is
none to erase; enquiries erases it with the enquirer's other personal data. A purge (the retention
period ended) removes the journey's itineraries, bookings, history and desk tasks too.
"""
from sqlalchemy import delete, select

from services.travel.handlers import records
from services.travel.models import Base, HistoryEntry, Itinerary, Traveller, kernel
from shared.erasure import confirm_erasure, is_purge, purge_rows, scrub_kernel


def erase_traveller(uow, event) -> None:
    """erasure_requested: the traveller row goes unless an itinerary is still active; confirmed once."""
    jid = event.journey_id
    with uow:
        session = uow.session
        if is_purge(event):
            itineraries = select(Itinerary.id).where(Itinerary.journey_id == jid)
            session.execute(delete(HistoryEntry).where(HistoryEntry.itinerary_id.in_(itineraries)))
            purge_rows(session, Base.metadata, jid)
        else:
            traveller = session.get(Traveller, jid)
            if traveller is not None and records.active_itinerary(session, jid) is None:
                session.delete(traveller)
        scrub_kernel(session, kernel, jid)
        confirm_erasure(uow, event, erased=True)
