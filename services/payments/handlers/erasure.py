"""Erasure requests: payments holds ids and amounts only, never an enquirer's personal data. Invoices
stay as the books' skeleton (no name, no health fact) even on a purge; the kernel's traces go."""
from services.payments.models import kernel
from shared.erasure import confirm_erasure, scrub_kernel


def confirm_nothing_to_erase(uow, event) -> None:
    """Answer an erasure request: nothing personal is kept here, so it is erased as asked."""
    with uow:
        scrub_kernel(uow.session, kernel, event.journey_id)
        confirm_erasure(uow, event, erased=True)
