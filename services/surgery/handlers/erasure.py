"""Answering an erasure request: surgery holds no enquirer's personal data."""
from shared.erasure import confirm_erasure
from shared.events import Event


def confirm_nothing_held(uow, event: Event) -> None:
    """journey.erasure_requested: confirm it, as nothing to erase is held here."""
    with uow:
        confirm_erasure(uow, event, erased=True)
