"""The warehouse interface over today's backend, one DuckDB file: the published state, the writer lock, a publish
that happens whole or not at all, a full disk as its own error, broken files set aside, read-only connections."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from published_runs import publish_run, text_document

from warehouse.backend import DuckDBFileWarehouse, Warehouse, WarehouseBusy, open_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REPORT = "全区458名政法干警参加学习,结案率69.11%。"  # "All 458 officers took part; closure rate 69.11%."


def test_a_location_with_nothing_published(tmp_path: Path) -> None:
    warehouse: Warehouse = open_warehouse(tmp_path / "metrics.duckdb")
    assert warehouse.location == str(tmp_path / "metrics.duckdb")
    assert not warehouse.exists() and warehouse.problem() is None
    published = warehouse.read_published()
    assert published.state.empty and published.last_run is None and published.metrics_total == 0


def test_the_published_state_is_what_the_last_run_published(tmp_path: Path) -> None:
    warehouse = DuckDBFileWarehouse(tmp_path / "metrics.duckdb")
    written = publish_run(warehouse.path, "r1", [text_document("report", REPORT)])
    published = warehouse.read_published()
    assert warehouse.exists()
    assert list(published.state["doc_id"]) == ["report"]
    assert published.last_run is not None and published.last_run[0] == "r1"
    assert published.metrics_total == written["metrics_total"] > 0
    with warehouse.connect_read_only() as con:
        assert con.execute("select count(*) from metrics").fetchall() == [(published.metrics_total,)]
        with pytest.raises(duckdb.Error):
            con.execute("delete from metrics")  # read-only


def test_tables_of_an_earlier_layout_read_as_nothing_published(tmp_path: Path) -> None:
    warehouse = DuckDBFileWarehouse(tmp_path / "old.duckdb")
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute("create table documents (doc_id varchar, content_hash varchar)")
    assert warehouse.problem() is None
    assert warehouse.read_published().state.empty


def test_a_write_that_fails_publishes_nothing(tmp_path: Path) -> None:
    warehouse = DuckDBFileWarehouse(tmp_path / "metrics.duckdb")
    warehouse.publish(lambda con: None)
    before = warehouse.path.read_bytes()

    def fail(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("create table half_written as select 1 as x")
        raise ValueError("the load went wrong")

    with pytest.raises(ValueError, match="the load went wrong"):
        warehouse.publish(fail)
    assert warehouse.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.duckdb", "metrics.duckdb.lock"]


def test_a_second_writer_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    warehouse = DuckDBFileWarehouse(tmp_path / "metrics.duckdb")
    with (
        warehouse.locked(5),
        pytest.raises(WarehouseBusy, match="still writing"),
        open_warehouse(warehouse.path).locked(0),
    ):
        pass
    with warehouse.locked(0):  # released
        pass


def test_a_broken_file_is_named_and_set_aside(tmp_path: Path) -> None:
    warehouse = DuckDBFileWarehouse(tmp_path / "metrics.duckdb")
    warehouse.path.write_bytes(b"not a database\n" * 100)
    problem = warehouse.problem()
    assert problem is not None and not problem.held
    warehouse.keep_broken(datetime(2026, 3, 1, 6, 0, 5))
    kept = tmp_path / "metrics.duckdb.broken-20260301T060005"
    assert kept.read_bytes() == warehouse.path.read_bytes()


_FILL = """
import resource, signal, sys
from pathlib import Path
from warehouse.backend import DuckDBFileWarehouse, WarehouseFull

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing us
warehouse = DuckDBFileWarehouse(Path(sys.argv[1]))
limit = warehouse.path.stat().st_size + (1 << 20)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
FILLER = "create table filler as select md5(i::varchar) || md5((-i)::varchar) as s from range(400000) t(i)"
try:
    warehouse.publish(lambda con: con.execute(FILLER))
except WarehouseFull as exc:
    print(f"full: {exc}")
"""


def test_storage_filling_up_is_a_warehouse_full_error_and_publishes_nothing(tmp_path: Path) -> None:
    warehouse = DuckDBFileWarehouse(tmp_path / "metrics.duckdb")
    warehouse.publish(lambda con: None)
    before = warehouse.path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", _FILL, str(warehouse.path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert done.stdout.startswith("full: ") and "File too large" in done.stdout, done.stdout + done.stderr
    assert done.stdout.count("\n") == 1  # one line
    assert warehouse.path.read_bytes() == before
    assert not list(tmp_path.glob(".metrics.duckdb.*"))
