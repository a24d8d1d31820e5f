"""End to end: the real build-warehouse flow on a real Prefect test server into a temporary DuckDB file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from flows.pipeline import build_warehouse
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]


def _bad_files(inbox: Path) -> None:
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (inbox / "truncated.txt").write_bytes("全区458名政法干警".encode()[:-1] + b"\xff\xfe\xfd")


def test_flow_loads_seed_reports_and_records_bad_files(seed_inputs: Path, tmp_path: Path) -> None:
    _bad_files(seed_inputs)
    warehouse = tmp_path / "metrics.duckdb"
    summary = build_warehouse(seed_inputs, warehouse)

    assert summary.published
    assert summary.documents_read == 5
    assert summary.documents_rejected == 3
    with connect_read_only(warehouse) as con:
        loaded = {r[0] for r in con.execute("select doc_id from documents").fetchall()}
        assert loaded == {p.stem for p in seed_inputs.glob("0*.txt")}
        per_doc = dict(con.execute("select doc_id, count(*) from metrics group by doc_id").fetchall())
        assert len(per_doc) == 2 and all(n >= 5 for n in per_doc.values())
        officers = con.execute(
            "select value, unit, kind, subject from metrics where mention = '458名' and doc_id like '000_%'"
        ).fetchall()
        assert officers == [(Decimal("458"), "名", "count", "政法干警")]
        closure = con.execute(
            "select value, unit, kind from metrics where mention = '69.11%' and doc_id like '000_%'"
        ).fetchall()
        assert closure == [(Decimal("69.11"), "%", "percent")]
        rejected = dict(con.execute("select doc_id, check_name from rejections where stage = 'ingest'").fetchall())
        assert rejected.keys() == {"empty", "binary", "truncated"}
        assert rejected["empty"] == "empty"
        assert con.execute("select count(*) from runs").fetchone() == (1,)
        assert con.execute("select count(*) from metrics_by_document").fetchone()[0] > 0


def test_rerun_over_same_inputs_changes_no_rows(seed_inputs: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    first = build_warehouse(seed_inputs, warehouse)
    with connect_read_only(warehouse) as con:
        ids_before = con.execute("select metric_id from metrics order by metric_id").fetchall()
    second = build_warehouse(seed_inputs, warehouse)
    assert first.metrics_loaded == second.metrics_loaded > 0
    with connect_read_only(warehouse) as con:
        assert con.execute("select metric_id from metrics order by metric_id").fetchall() == ids_before
        assert con.execute("select count(*) from documents").fetchone() == (2,)
        assert con.execute("select count(*) from runs").fetchone() == (2,)
