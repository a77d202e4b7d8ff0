"""A patient's reminder preferences: check-up reminders on or off (care-critical mail always goes)."""
from services.notifications.models import Preference
from shared.clock import aware


def show(uow, journey_id: str) -> dict:
    with uow:
        return _view(journey_id, uow.session.get(Preference, journey_id))


def set_checkup_reminders(uow, clock, journey_id: str, enabled: bool) -> dict:
    with uow:
        row = uow.session.get(Preference, journey_id, with_for_update=True)
        if row is None:
            row = Preference(journey_id=journey_id)
            uow.session.add(row)
        row.checkup_reminders, row.updated_at, row.updated_by = enabled, clock.now(), uow.actor or "system"
        return _view(journey_id, row)


def wants(uow, journey_id: str) -> bool:
    """Whether check-up reminders go out (on until the patient turns them off)."""
    row = uow.session.get(Preference, journey_id)
    return True if row is None else row.checkup_reminders


def _view(journey_id: str, row: Preference | None) -> dict:
    if row is None:
        return {"journey_id": journey_id, "checkup_reminders": True, "updated_at": None, "updated_by": None}
    return {"journey_id": journey_id, "checkup_reminders": row.checkup_reminders,
            "updated_at": aware(row.updated_at), "updated_by": row.updated_by}
