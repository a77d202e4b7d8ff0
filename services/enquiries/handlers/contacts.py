"""Contact details for a message to the person: asked for at send time, never put in an event."""
from services.enquiries.handlers.common import enquiry_for
from shared.errors import NotFound


def contact_for(uow, journey_id: str) -> dict:
    """The journey's email, name and preferred language; NotFound once erased (or never given)."""
    with uow:
        enquiry = enquiry_for(uow, journey_id)
        if enquiry.erased_at is not None or not enquiry.email:
            raise NotFound(f"no contact details for journey {journey_id}")
        return {"email": enquiry.email, "name": enquiry.name or "", "country": enquiry.country,
                "language": (enquiry.preferred_language or "en").lower(), "time_zone": None}
