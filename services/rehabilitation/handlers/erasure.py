"""Erasure: this stage holds no enquirer data (only accepted patients' plans), so it confirms; a purge
(the retention period ended) removes the patient's plan, sessions and days."""
from services.rehabilitation.models import Base, kernel
from shared.db import UnitOfWork
from shared.erasure import confirm_erasure, is_purge, purge_rows, scrub_kernel
from shared.events import Event


def confirm_nothing_to_erase(uow: UnitOfWork, event: Event) -> None:
    """erasure_requested: confirmed as erased; the journey's rows go on a purge, its kernel traces always."""
    with uow:
        if is_purge(event):
            purge_rows(uow.session, Base.metadata, event.journey_id)
        scrub_kernel(uow.session, kernel, event.journey_id)
        confirm_erasure(uow, event, erased=True)
