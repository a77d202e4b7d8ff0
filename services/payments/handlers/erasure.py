"""Erasure requests: payments holds ids and amounts only, never an enquirer's personal data."""
from shared.erasure import confirm_erasure


def confirm_nothing_to_erase(uow, event) -> None:
    """Answer an erasure request: nothing personal is kept here, so it is erased as asked."""
    with uow:
        confirm_erasure(uow, event, erased=True)
