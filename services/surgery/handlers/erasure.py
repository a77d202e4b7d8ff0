"""Answering an erasure request: surgery holds no enquirer's personal data; a purge (the retention
period ended) removes the clinical stay of a patient too."""
from services.surgery.models import Base, kernel
from shared.erasure import confirm_erasure, is_purge, purge_rows, scrub_kernel


def confirm_nothing_held(uow, event) -> None:
    """journey.erasure_requested: confirmed; the journey's rows go on a purge, its kernel traces always."""
    with uow:
        if is_purge(event):
            purge_rows(uow.session, Base.metadata, event.journey_id)
        scrub_kernel(uow.session, kernel, event.journey_id)
        confirm_erasure(uow, event, erased=True)
