"""The imaging file store: content-addressed files on disk, outside the database and the broker.

A file is written to a temporary name in the store's own directory, flushed
to disk, then renamed to its SHA-256 in one atomic step: a reader sees the
whole file or nothing, and a failure midway leaves no half-written file.
"""
import hashlib
import os
import tempfile
import time
from pathlib import Path

from shared.config import ROOT

PARTIAL_PREFIX = ".partial-"


class FileStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        if not self.root.is_absolute():
            self.root = ROOT / self.root
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def put(self, data: bytes) -> tuple[str, bool]:
        """Store `data` once; returns (sha256, True if it was new)."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if target.is_file():
            return sha256, False
        target.parent.mkdir(exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=PARTIAL_PREFIX, dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return sha256, True

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def remove(self, sha256: str) -> None:
        """Delete a stored file (a purge); one already gone is no error."""
        self.path(sha256).unlink(missing_ok=True)

    def files(self) -> list[Path]:
        """Every complete stored file."""
        return sorted(p for p in self.root.glob("*/*") if not p.name.startswith(PARTIAL_PREFIX))

    def sweep_partials(self, older_than_seconds: float = 3600.0) -> int:
        """Remove what a crashed process left half-written; returns how many.

        Only old leftovers: another process sharing the store may be writing now.
        """
        cutoff = time.time() - older_than_seconds
        leftovers = [p for p in self.root.glob(f"*/{PARTIAL_PREFIX}*") if p.stat().st_mtime < cutoff]
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        return len(leftovers)


def _fsync_dir(directory: Path) -> None:
    # The rename itself must reach the disk, not only the file's bytes.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
