"""Two small services that exercise the kernel the way real services do."""
import eventlet
from marshmallow import Schema, fields
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, update

from shared.consumers import rpc
from shared.db import Database
from shared.events import contract
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.tables import add_kernel_tables

metadata = MetaData()
kernel = add_kernel_tables(metadata)
notes = Table("notes", metadata, Column("id", Integer, primary_key=True),
              Column("journey_id", String(36), nullable=False))
effects = Table("effects", metadata, Column("id", Integer, primary_key=True),
                Column("journey_id", String(36), nullable=False),
                Column("event_id", String(36), nullable=False))
faults = Table("faults", metadata, Column("journey_id", String(36), primary_key=True),
               Column("remaining", Integer, nullable=False))


@contract("note_recorded", 1)
class NoteRecorded(Schema):
    note_id = fields.Integer(required=True)


class Boom(Exception):
    pass


class ProducerService:
    name = "kernel_producer"
    uow = Database(kernel)

    @rpc
    def record(self, journey_id, fail_after_emit=False):
        with self.uow as uow:
            note_id = uow.session.execute(insert(notes).values(journey_id=journey_id)).inserted_primary_key[0]
            uow.emit("note_recorded", {"note_id": note_id}, journey_id)
            if fail_after_emit:
                raise Boom("rolled back after emitting")
        return note_id

    @rpc
    def record_slowly(self, journey_id, seconds):
        """Records a note, then takes its time to answer: long enough for the broker to go."""
        note_id = self.record(journey_id)
        eventlet.sleep(seconds)
        return note_id


class ConsumerService(HealthEndpoints):
    """Handles notes; like every service, it answers health checks and its dead-letter RPC."""
    name = "kernel_consumer"
    uow = Database(kernel)

    @handles("kernel_producer", "note_recorded")
    def on_note_recorded(self, event):
        with self.uow._store.session() as session:  # the fault switch lives outside the effect
            remaining = session.execute(
                select(faults.c.remaining).where(faults.c.journey_id == event.journey_id)).scalar()
            if remaining:
                session.execute(update(faults).where(faults.c.journey_id == event.journey_id)
                                .values(remaining=faults.c.remaining - 1))
        if remaining:
            raise Boom(f"injected fault, {remaining - 1} left")
        with self.uow as uow:
            uow.session.execute(insert(effects).values(journey_id=event.journey_id,
                                                       event_id=event.event_id))


def effect_count(store, journey_id=None) -> int:
    query = select(func.count()).select_from(effects)
    if journey_id:
        query = query.where(effects.c.journey_id == journey_id)
    with store.session() as session:
        return session.execute(query).scalar()


def note_count(store, journey_id) -> int:
    query = select(func.count()).select_from(notes).where(notes.c.journey_id == journey_id)
    with store.session() as session:
        return session.execute(query).scalar()
