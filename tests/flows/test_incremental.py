"""Re-runs cost what changed: files known by their listing are not opened, and a run with nothing new publishes
nothing (real files, a real Prefect test server, real DuckDB files)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from flows.pipeline import build_warehouse
from warehouse.explorer import pages_folder
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]

HOUR_NS = 3600 * 10**9


def _settle(inbox: Path) -> None:
    """Date every file an hour back, as files copied in some time before the run would be."""
    back = time.time_ns() - HOUR_NS
    for path in inbox.iterdir():
        os.utime(path, ns=(back, back))


def _stats(warehouse: Path) -> dict[str, tuple[int, int | None, int]]:
    with connect_read_only(warehouse) as con:
        rows = con.execute("select doc_id, file_size, file_mtime_ns, file_inode from documents").fetchall()
    return {doc_id: (size, mtime, inode) for doc_id, size, mtime, inode in rows}


def _mentions(warehouse: Path, doc_id: str) -> set[str]:
    with connect_read_only(warehouse) as con:
        return {m for (m,) in con.execute("select mention from metrics where doc_id = ?", [doc_id]).fetchall()}


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file under `folder`: any rewrite, even of the same bytes, changes one of them."""
    return {str(p): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_unchanged_file_is_not_opened_a_no_change_rerun_writes_nothing_and_a_touched_file_is_read(
    seed_inputs: Path, tmp_path: Path
) -> None:
    _settle(seed_inputs)
    report = sorted(seed_inputs.glob("0*.txt"))[0]
    warehouse = tmp_path / "out" / "metrics.duckdb"
    first = build_warehouse(seed_inputs, warehouse)
    assert first.published and first.files_read == 2

    # the stat columns hold the listing of each file as it was read
    listed = report.stat()
    assert _stats(warehouse)[report.name] == (listed.st_size, listed.st_mtime_ns, listed.st_ino)
    assert "458名" in _mentions(warehouse, report.name)

    # other bytes of the same size, the time put back: only reading the file could tell, and it is not read
    stale = report.read_bytes()
    report.write_bytes(stale.replace("458名".encode(), "459名".encode()))
    os.utime(report, ns=(listed.st_atime_ns, listed.st_mtime_ns))
    assert report.stat().st_size == listed.st_size and report.stat().st_ino == listed.st_ino
    explorer = warehouse.with_name("explorer.html")
    before = {**_tree(warehouse.parent), "bytes": warehouse.read_bytes()}
    assert pages_folder(explorer).is_dir()

    second = build_warehouse(seed_inputs, warehouse)
    assert not second.published and second.up_to_date and second.unchanged_since == first.run_id
    assert (second.files_read, second.files_known, second.documents_unchanged) == (0, 2, 2)
    assert (second.documents_new, second.documents_changed, second.metrics_loaded) == (0, 0, 0)
    assert second.explorer == str(explorer)
    # nothing written: the warehouse byte for byte, and no file of the explorer or beside the warehouse touched
    # but the writer lock, which holds the pid of the run that took it last
    after = {**_tree(warehouse.parent), "bytes": warehouse.read_bytes()}
    lock = str(warehouse.with_name("metrics.duckdb.lock"))
    assert after.pop(lock)[0] == before.pop(lock)[0] and after == before
    assert "458名" in _mentions(warehouse, report.name)  # the stale content was not read

    # a new modification time: the file is read, and its new content loaded
    os.utime(report, ns=(listed.st_atime_ns, listed.st_mtime_ns + 10**9))
    third = build_warehouse(seed_inputs, warehouse)
    assert third.published and (third.files_read, third.files_known, third.documents_changed) == (1, 1, 1)
    assert "459名" in _mentions(warehouse, report.name) and "458名" not in _mentions(warehouse, report.name)
    assert _stats(warehouse)[report.name][1] == listed.st_mtime_ns + 10**9
    with connect_read_only(warehouse) as con:
        assert con.execute("select count(*) from runs").fetchall() == [(2,)]


def test_same_bytes_with_a_new_time_are_unchanged_content_and_the_new_listing_is_recorded_once(
    seed_inputs: Path, tmp_path: Path
) -> None:
    _settle(seed_inputs)
    (seed_inputs / "empty.txt").write_bytes(b"")  # rejected on every run, recorded once
    report = sorted(seed_inputs.glob("0*.txt"))[0]
    warehouse = tmp_path / "metrics.duckdb"
    build_warehouse(seed_inputs, warehouse)

    # touched (copied back, restored from a backup): the same bytes under a new time
    moved = report.stat().st_mtime_ns - HOUR_NS
    os.utime(report, ns=(moved, moved))
    touched = build_warehouse(seed_inputs, warehouse)
    assert touched.published  # only the new listing is written
    assert (touched.files_read, touched.documents_unchanged, touched.documents_changed) == (2, 2, 0)
    assert touched.metrics_loaded == 0 and touched.documents_rejected == 1
    assert _stats(warehouse)[report.name][1] == moved

    # rewritten with the same bytes just now: read again (its listing is trusted once two seconds old), and from
    # then on known by its listing
    report.write_bytes(report.read_bytes())
    fresh = build_warehouse(seed_inputs, warehouse)
    assert fresh.succeeded and (fresh.files_read, fresh.documents_unchanged, fresh.metrics_loaded) == (2, 2, 0)
    time.sleep(max(0.0, (report.stat().st_mtime_ns + 2 * 10**9 - time.time_ns()) / 1e9))
    build_warehouse(seed_inputs, warehouse)
    assert _stats(warehouse)[report.name][1] == report.stat().st_mtime_ns
    last = build_warehouse(seed_inputs, warehouse)
    assert last.up_to_date and last.files_read == 1  # only the rejected file is opened again
    assert last.documents_unchanged == 2 and last.documents_rejected == 1
