"""The writer lock: a second process waits for the first, or gives up with a clear message; death frees it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warehouse.lock import WarehouseBusy, run_lock

_HOLDER = """
import sys, time
from pathlib import Path
from warehouse.lock import run_lock
with run_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(warehouse: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(warehouse), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_writer_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    holder = _hold(warehouse, 30)
    try:
        with (
            pytest.raises(WarehouseBusy, match=rf"pid {holder.pid}.*still writing"),
            run_lock(warehouse, wait_seconds=0.5),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    holder = _hold(warehouse, 1.5)
    started = time.monotonic()
    with run_lock(warehouse, wait_seconds=30, poll_seconds=0.05):
        waited = time.monotonic() - started
    assert holder.wait(timeout=30) == 0
    assert waited > 0.5


def test_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    holder = _hold(warehouse, 60)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with run_lock(warehouse, wait_seconds=5):
        pass
