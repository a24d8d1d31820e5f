"""The published DuckDB file: views from SQL files, and a publish that is atomic for readers and failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.store import apply_schema, apply_views, connect_read_only, publish, view_files


def _insert_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute(
        "insert into runs values (?, null, now()::timestamp, null, 'published', 0, 0, 0, 'test')",
        [run_id],
    )


def test_every_view_file_creates_a_view(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_schema(con)
    apply_views(con)
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert {p.stem for p in view_files()} <= views
    assert "stg_metrics" in views


def test_publish_creates_then_updates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: _insert_run(con, "first"))
    publish(target, lambda con: _insert_run(con, "second"))
    with connect_read_only(target) as con:
        assert [r[0] for r in con.execute("select run_id from runs order by run_id").fetchall()] == [
            "first",
            "second",
        ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.duckdb"]


def test_failed_write_leaves_published_version_intact(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: _insert_run(con, "good"))
    before = target.read_bytes()

    def half_then_fail(con: duckdb.DuckDBPyConnection) -> None:
        _insert_run(con, "half-written")
        raise RuntimeError("crash during load")

    with pytest.raises(RuntimeError, match="crash during load"):
        publish(target, half_then_fail)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.duckdb"]


_READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("select count(*) from runs").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("select count(*) from runs").fetchone()[0], flush=True)
"""


def test_reader_in_another_process_does_not_block_publish(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: _insert_run(con, "old"))
    reader = subprocess.Popen(
        [sys.executable, "-c", _READER, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        assert reader.stdout.readline().strip() == "1"
        publish(target, lambda con: _insert_run(con, "new"))
        reader.stdin.write("\n")
        reader.stdin.flush()
        # The reader that held the old file keeps its consistent old snapshot ...
        assert reader.stdout.readline().strip() == "1"
    finally:
        reader.stdin.close()
        assert reader.wait(timeout=30) == 0
    # ... and a new reader sees the new version.
    with connect_read_only(target) as fresh:
        assert fresh.execute("select count(*) from runs").fetchone() == (2,)
