"""A new personal link asked for by email address, on the portal's new-link page.

The address is compared as enquiries keeps it for finding a person (lower case, `search_email`); the
newest active journey of it (not erased, not a brochure request, not declined) is the one a link is
sent for, by notifications, which asks for the address itself at send time. Whether the address was
known is told to no one: the gateway does not wait for this, and nothing here logs it or puts it in an
event.
"""
from sqlalchemy import select

from services.enquiries.models import Enquiry

INACTIVE_STATUSES = ("declined",)


def journeys_of(uow, email: str) -> list[str]:
    """The active journeys of this (normalised) address, newest first."""
    with uow:
        return list(uow.session.scalars(
            select(Enquiry.journey_id)
            .where(Enquiry.search_email == email, Enquiry.erased_at.is_(None), Enquiry.kind != "brochure",
                   Enquiry.status.not_in(INACTIVE_STATUSES))
            .order_by(Enquiry.received_at.desc(), Enquiry.id)))


def request_link(uow, notifications, email: str) -> bool:
    """Have notifications send a new link for the address's newest active journey; False if none."""
    journeys = journeys_of(uow, email)
    if not journeys:
        return False
    notifications.send_new_link(journeys[0])
    return True
