"""Erasure: travel keeps only a country (and the desk's airport choice) for patients it books.

The passenger's identity is never stored here (asked of enquiries for each booking), so there is
none to erase; enquiries erases it with the enquirer's other personal data.
"""
from services.travel.handlers import records
from services.travel.models import Traveller
from shared.erasure import confirm_erasure


def erase_traveller(uow, event) -> None:
    """erasure_requested: the traveller row goes unless an itinerary is still active; confirmed once."""
    with uow:
        traveller = uow.session.get(Traveller, event.journey_id)
        if traveller is not None and records.active_itinerary(uow.session, event.journey_id) is None:
            uow.session.delete(traveller)
        confirm_erasure(uow, event, erased=True)
