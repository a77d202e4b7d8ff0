"""Use cases of the follow-up service, one module per area; each takes a unit of work first.

Today and now come from the clinic clock the service passes in (shared.clock),
so the simulated date moves follow-up along with every other stage.
"""
from uuid import uuid4


def new_id() -> str:
    return str(uuid4())
