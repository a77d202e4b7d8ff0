"""A producer that schedules its notes' events for later, the way use cases schedule deadlines.

Run in-process by test_timers and as its own process (`nameko run shared.tests.timed`) by
test_timers_restart: it is kernel_producer, so sample.ConsumerService handles what it fires.
"""
from datetime import datetime

from sqlalchemy import insert

from shared.consumers import rpc
from shared.tests import sample


class TimedProducerService(sample.ProducerService):
    name = "kernel_producer"

    @rpc
    def remind(self, journey_id, at, key, fail_after_schedule=False):
        """Records a note and schedules its note_recorded for `at` (ISO, with offset)."""
        with self.uow as uow:
            added = uow.session.execute(insert(sample.notes).values(journey_id=journey_id))
            note_id = added.inserted_primary_key[0]
            uow.schedule(sample.NoteRecorded, {"note_id": note_id}, journey_id,
                         at=datetime.fromisoformat(at), key=key)
            if fail_after_schedule:
                raise sample.Boom("rolled back after scheduling")
        return note_id

    @rpc
    def cancel(self, key):
        with self.uow as uow:
            return uow.cancel_timer(key)

    @rpc
    def cancel_journey(self, journey_id, prefix=None):
        with self.uow as uow:
            return uow.cancel_timers(journey_id=journey_id, prefix=prefix)
