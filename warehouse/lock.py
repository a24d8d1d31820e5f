"""One writer at a time: an advisory file lock beside the warehouse, held for the whole of a run.

The lock is `flock(2)` on `<warehouse>.lock`: the kernel releases it when the holder exits, however it exits
(SIGKILL included), so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another run held the warehouse's lock for longer than this run was willing to wait."""


def lock_path(warehouse: Path) -> Path:
    """The lock file that guards `warehouse`."""
    return warehouse.with_name(f"{warehouse.name}.lock")


@contextmanager
def run_lock(warehouse: Path, wait_seconds: float = 600.0, poll_seconds: float = 0.5) -> Iterator[None]:
    """Hold the warehouse's writer lock, waiting up to `wait_seconds` for a running run to finish."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = path.read_text(encoding="utf-8").strip() or "unknown"
                    raise WarehouseBusy(
                        f"another run (pid {holder}) is still writing {warehouse}; waited {wait_seconds:g} s. "
                        "Try again when it has finished."
                    ) from None
                time.sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
