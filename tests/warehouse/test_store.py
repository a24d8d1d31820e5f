"""The published DuckDB file: views from SQL files, and a publish that is atomic for readers and failures."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

import warehouse.store
from warehouse.store import (
    CHECKPOINT_THRESHOLD,
    COMPACT_FREE_SHARE,
    apply_comments,
    apply_schema,
    apply_views,
    connect_read_only,
    disk_full_reason,
    free_share,
    load_comments,
    new_version,
    open_problem,
    publish,
    view_files,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _insert_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute(
        "insert into runs by name select ? as run_id, localtimestamp as started_at, 'published' as status, "
        "0 as documents_read, 0 as documents_new, 0 as documents_changed, 0 as documents_reextracted, "
        "0 as documents_unchanged, 0 as documents_missing, 0 as documents_rejected, 0 as metrics_loaded, "
        "0 as metrics_total, 0 as rows_rejected, 0.0 as failure_share, 0.05 as max_failure_share, "
        "'test' as extractor_version, 'test' as catalog_version",
        [run_id],
    )


def _visible(directory: Path) -> list[str]:
    """Files a reader would see: the writer lock file is hidden and empty."""
    return sorted(p.name for p in directory.iterdir() if not p.name.endswith(".lock"))


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
    assert _visible(tmp_path) == ["metrics.duckdb"]


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
    assert _visible(tmp_path) == ["metrics.duckdb"]


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


def test_every_table_view_and_column_has_a_comment(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_schema(con)
    apply_views(con)
    apply_comments(con)
    uncommented = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'main' and coalesce(comment, '') = '' "
        "union all select view_name from duckdb_views() where schema_name = 'main' and not internal "
        "and coalesce(comment, '') = '' "
        "union all select table_name || '.' || column_name from duckdb_columns() "
        "where schema_name = 'main' and not internal and coalesce(comment, '') = ''"
    ).fetchall()
    assert uncommented == []
    # the comments file names nothing that does not exist
    named = {*load_comments()["tables"], *load_comments()["views"]}  # type: ignore[misc]
    existing = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    existing |= {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert named <= existing


def test_view_files_state_their_grain_and_end_in_final() -> None:
    for path in view_files():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("-- grain: "), path.name
        assert text.rstrip().endswith("select * from final"), path.name


def test_an_outdated_table_layout_is_rebuilt(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    with duckdb.connect(str(target)) as con:
        con.execute("create table runs (run_id varchar primary key, extractor_version varchar)")
        con.execute("insert into runs values ('ancient', '0')")
    publish(target, lambda con: _insert_run(con, "new"))
    with connect_read_only(target) as con:
        assert con.execute("select run_id from runs").fetchall() == [("new",)]


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from warehouse.store import publish

def write(con):
    con.execute("create table scratch as select range as i from range(100000)")
    con.execute("insert into runs by name select 'half-written' as run_id, localtimestamp as started_at, "
                "'published' as status, 0 as documents_read, 0 as documents_new, 0 as documents_changed, "
                "0 as documents_reextracted, 0 as documents_unchanged, 0 as documents_missing, "
                "0 as documents_rejected, 0 as metrics_loaded, 0 as metrics_total, 0 as rows_rejected, "
                "0.0 as failure_share, 0.05 as max_failure_share, 'x' as extractor_version, 'x' as catalog_version")
    print("writing", flush=True)
    time.sleep(600)  # held mid-write until the test kills the process

publish(Path(sys.argv[1]), write)
"""


@pytest.mark.slow
def test_publish_killed_mid_write_leaves_the_published_version(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: _insert_run(con, "good"))
    before = target.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "writing"
    os.kill(writer.pid, signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL

    assert target.read_bytes() == before
    assert any(p.name.endswith(".building") for p in tmp_path.iterdir())  # the dead run's copy
    with connect_read_only(target) as con:
        assert con.execute("select run_id from runs").fetchall() == [("good",)]
    # The next run takes the lock the dead one held, removes its copy and publishes.
    publish(target, lambda con: _insert_run(con, "next"))
    with connect_read_only(target) as con:
        assert con.execute("select run_id from runs order by run_id").fetchall() == [("good",), ("next",)]
    assert _visible(tmp_path) == ["metrics.duckdb"]


_PUBLISH_LOOP = """
import sys
from pathlib import Path
from warehouse.store import publish

def write(con):
    n = con.execute("select count(*) from runs").fetchall()[0][0]
    con.execute("insert into runs by name select 'run' || ? as run_id, localtimestamp as started_at, "
                "'published' as status, 0 as documents_read, 0 as documents_new, 0 as documents_changed, "
                "0 as documents_reextracted, 0 as documents_unchanged, 0 as documents_missing, "
                "0 as documents_rejected, ? as metrics_loaded, 0 as metrics_total, 0 as rows_rejected, "
                "0.0 as failure_share, 0.05 as max_failure_share, 'x' as extractor_version, 'x' as catalog_version",
                [n, n])
    con.execute("insert into rejections by name select 'r' || ? || '-' || range as rejection_id, 'run' || ? as run_id, "
                "'d' as doc_id, 'p' as source_path, 'test' as stage, 'c' as check_name, 'r' as reason "
                "from range(1000)", [n, n])

while True:
    publish(Path(sys.argv[1]), write)
    print("published", flush=True)
"""


def _consistent(target: Path) -> int:
    """Open the file as a new reader would and check that each run's 1000 rows came with it; returns the runs."""
    with connect_read_only(target) as con:
        runs = con.execute("select count(*) from runs").fetchall()[0][0]
        rows = con.execute("select count(*) from rejections").fetchall()[0][0]
    assert rows == 1000 * runs
    return runs


@pytest.mark.slow
def test_readers_see_whole_versions_while_a_writer_is_killed_at_random_points(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    rng = random.Random(4)
    seen = 0
    for _ in range(4):
        writer = subprocess.Popen(
            [sys.executable, "-c", _PUBLISH_LOOP, str(target)], stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "published"
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        while time.monotonic() < deadline:  # new readers while publishes replace the file
            seen = max(seen, _consistent(target))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        runs = _consistent(target)
        assert runs >= seen
    publish(target, lambda con: None)
    assert _consistent(target) >= seen > 0
    assert _visible(tmp_path) == ["metrics.duckdb"]


_HOLD_FOR_WRITING = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("select 1").fetchall()
print("holding", flush=True)
time.sleep(600)
"""


def test_a_file_held_for_writing_is_reported_as_held_with_its_pid_not_as_damaged(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: _insert_run(con, "r1"))
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_FOR_WRITING, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        problem = open_problem(target)
        assert problem is not None and problem.held and problem.pid == holder.pid
        assert f"pid {holder.pid}" in problem.reason and "not damaged" in problem.reason
        assert "rebuild" not in problem.reason
    finally:
        holder.kill()
        holder.wait()
    assert open_problem(target) is None


def test_a_stray_wal_is_kept_aside_with_a_warning_and_its_changes_stay_readable(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(target, lambda con: _insert_run(con, "r1"))
    # someone opens the published file read-write, writes, and dies before a checkpoint: the change is in the WAL
    writer = (
        "import os, sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute(\"update runs set status = 'edited by hand'\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(target)], check=True)
    assert Path(f"{target}.wal").exists()
    warnings = publish(target, lambda con: _insert_run(con, "r2"))
    assert len(warnings) == 1 and "kept" in warnings[0]
    kept = sorted(tmp_path.glob("metrics.duckdb.kept-*"))
    assert [p.suffix == ".wal" for p in kept] == [False, True]
    assert not Path(f"{target}.wal").exists()
    with duckdb.connect(str(kept[0]), read_only=True) as con:
        assert con.execute("select status from runs").fetchall() == [("edited by hand",)]
    with connect_read_only(target) as con:
        assert con.execute("select count(*) from runs").fetchall() == [(2,)]


def test_disk_full_reason_is_one_line_for_os_and_duckdb_errors() -> None:
    assert disk_full_reason(OSError(28, "No space left on device", "/data/x")) == "No space left on device (/data/x)"
    err = duckdb.TransactionException('Failed to commit: Could not write file "x.wal": No space left on device')
    assert disk_full_reason(err) == str(err)
    assert disk_full_reason(duckdb.ConstraintException("duplicate key")) is None
    assert disk_full_reason(OSError(2, "No such file")) is None


def _replace_rejections(tag: str, rows: int = 8000) -> Callable[[duckdb.DuckDBPyConnection], None]:
    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("delete from rejections")
        con.execute(
            "insert into rejections by name select ? || range as rejection_id, 'run' as run_id, 'd' as doc_id, "
            "repeat('p', 100) as source_path, 'test' as stage, 'c' as check_name, ? || range || repeat('r', 200) "
            "as reason from range(?)",
            [tag, tag, rows],
        )

    return write


@pytest.mark.parametrize("compact_at", [COMPACT_FREE_SHARE, 0.2])
def test_a_version_is_compacted_only_when_more_than_the_allowed_share_of_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compact_at: float
) -> None:
    monkeypatch.setattr(warehouse.store, "COMPACT_FREE_SHARE", compact_at)
    target = tmp_path / "metrics.duckdb"
    shares = []
    for tag in "abcd":  # every row replaced by as many: the old rows' blocks are left free
        publish(target, _replace_rejections(tag, rows=30_000))
        with connect_read_only(target) as con:
            assert con.execute("select count(*), min(reason) like ? from rejections", [f"{tag}%"]).fetchall() == [
                (30_000, True)
            ]
            shares.append(free_share(con))
    assert max(shares) <= compact_at  # never more of the file free than allowed
    if compact_at == COMPACT_FREE_SHARE:  # the freed blocks stay for the next versions to write into
        assert max(shares) > 0.2
    assert _visible(tmp_path) == ["metrics.duckdb"]


@pytest.mark.parametrize("threshold", [CHECKPOINT_THRESHOLD, "16MB"])
def test_a_version_written_in_many_commits_comes_out_without_free_space(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: str
) -> None:
    # eight commits of 4,000 long rejection rows each, about 40 MB of log in all: checkpointed every 16 MB (DuckDB's
    # default), each checkpoint rewrites the row group the next rows are appended to and leaves the old blocks free
    monkeypatch.setattr(
        warehouse.store, "_WRITE_CONFIG", {**warehouse.store._WRITE_CONFIG, "checkpoint_threshold": threshold}
    )
    with new_version(tmp_path / "metrics.duckdb") as version:
        for batch in range(8):
            version.con.execute(
                "insert into rejections by name select 'r' || range as rejection_id, 'run' as run_id, 'd' as doc_id, "
                "'p' as source_path, 'test' as stage, 'c' as check_name, "
                "string_agg(md5(range || '-' || i), '') as reason from range(?, ?), range(30) as t(i) group by range",
                [batch * 4000, (batch + 1) * 4000],
            )
        version.con.execute("checkpoint")
        sparse = free_share(version.con)
    if threshold == CHECKPOINT_THRESHOLD:
        assert sparse == 0.0
    else:
        assert sparse > 0.1
