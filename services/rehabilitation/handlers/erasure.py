"""Erasure: this stage holds no enquirer data (only accepted patients' plans), so it confirms."""
from shared.db import UnitOfWork
from shared.erasure import confirm_erasure
from shared.events import Event


def confirm_nothing_to_erase(uow: UnitOfWork, event: Event) -> None:
    """erasure_requested: confirmed as erased, with nothing retained."""
    with uow:
        confirm_erasure(uow, event, erased=True)
