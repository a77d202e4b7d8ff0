import os
import time

import pytest

from services.followup.adapters.filestore import FileStore
from services.followup.tests import images


def test_the_same_file_is_stored_once_under_its_checksum(tmp_path):
    store = FileStore(tmp_path)
    first, created = store.put(images.png())
    again, created_again = store.put(images.png())
    assert (first, created, created_again) == (again, True, False)
    assert store.files() == [store.path(first)]
    assert store.read(first) == images.png()


def test_a_write_failing_midway_leaves_no_file_behind(tmp_path, monkeypatch):
    store = FileStore(tmp_path)

    def disk_fails(fd):
        raise OSError("disk full")
    monkeypatch.setattr(os, "fsync", disk_fails)
    with pytest.raises(OSError, match="disk full"):
        store.put(images.png(shade=9))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_leftovers_of_a_crash_are_swept_but_a_write_in_progress_is_not(tmp_path):
    store = FileStore(tmp_path)
    (tmp_path / "ab").mkdir()
    old, fresh = tmp_path / "ab" / ".partial-old", tmp_path / "ab" / ".partial-fresh"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    long_ago = time.time() - 7200
    os.utime(old, (long_ago, long_ago))
    assert store.sweep_partials() == 1
    assert not old.exists() and fresh.exists()
