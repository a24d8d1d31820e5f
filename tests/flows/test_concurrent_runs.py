"""Two runs at once on one warehouse, as two real processes: they take turns and nothing is corrupted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.pipeline import build_warehouse
from warehouse.store import connect_read_only

pytestmark = pytest.mark.slow


def test_two_overlapping_runs_take_turns(seed_inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    procs = []
    for n in range(2):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
        env["PREFECT_HOME"] = str(tmp_path / f"prefect-{n}")  # each process its own embedded Prefect server
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "flows.cli", "run", "--input", str(seed_inputs), "--warehouse", str(warehouse)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with connect_read_only(warehouse) as con:
        runs = con.execute("select documents_new, documents_unchanged from runs order by started_at").fetchall()
        # whichever ran second saw the first one's published state: nothing new, nothing loaded twice, nothing
        # published
        assert runs == [(2, 0)]
        assert con.execute("select count(*) from documents").fetchone() == (2,)
        total, distinct = con.execute("select count(*), count(distinct metric_id) from metrics").fetchone()
        assert total == distinct > 0
    assert sum("nothing new: nothing published" in out for out in outputs) == 1, outputs
    assert not list(tmp_path.glob(".metrics.duckdb.*.building"))


_HOLDER = """
import sys, time
from pathlib import Path
from warehouse.lock import run_lock
with run_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.mark.usefixtures("prefect_server")
def test_run_that_cannot_get_the_lock_in_time_says_so_and_publishes_nothing(seed_inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        summary = build_warehouse(seed_inputs, warehouse, lock_wait_seconds=1)
    finally:
        holder.kill()
        holder.wait()
    assert not summary.published
    assert summary.reason is not None and f"pid {holder.pid}" in summary.reason and "still writing" in summary.reason
    assert not warehouse.exists()
