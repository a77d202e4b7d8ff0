"""Commits a note and its event, then dies by SIGKILL before any relay could publish.

Run as a separate process by test_kernel_faults: `python -m shared.tests.crash_after_commit URL JOURNEY`.
"""
import os
import signal
import sys

from sqlalchemy import insert

from shared.db import Store, UnitOfWork
from shared.tests import sample

if __name__ == "__main__":
    url, journey = sys.argv[1], sys.argv[2]
    store = Store(url, sample.kernel)
    with UnitOfWork(store, "kernel_producer", on_commit=lambda: None) as uow:
        note_id = uow.session.execute(insert(sample.notes).values(journey_id=journey)).inserted_primary_key[0]
        uow.emit("note_recorded", {"note_id": note_id}, journey)
    os.kill(os.getpid(), signal.SIGKILL)
