"""Parquet export of the published tables and marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from warehouse.backend import DuckDBFileWarehouse
from warehouse.export import EXPORTED_TABLES, export_parquet, marts_to_export


def _published(tmp_path: Path) -> DuckDBFileWarehouse:
    warehouse = DuckDBFileWarehouse(tmp_path / "metrics.duckdb")
    warehouse.publish(
        lambda con: con.execute(
            "insert into indicators (indicator_code, name_zh, name_en, unit_family, kinds, subjects, formulas, "
            "catalog_version) values ('political_legal_officers', '政法干警', 'Officers', 'people', "
            "'count', '政法干警', null, 'v');"
            "insert into runs values ('r1', null, timestamp '2026-03-01 06:00:00', timestamp '2026-03-01 06:00:05', "
            "'published', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.05, 'x', 'v', null)"
        ),
    )
    return warehouse


def test_every_published_table_and_mart_is_exported_with_its_rows(tmp_path: Path) -> None:
    files = export_parquet(_published(tmp_path), tmp_path / "parquet")
    marts = marts_to_export()
    assert {"metrics_by_region", "metrics_by_organisation", "consistency_checks"} <= set(marts)
    assert [f.name for f in files] == [f"{t}.parquet" for t in (*EXPORTED_TABLES, *marts)]
    with duckdb.connect() as con:
        rows = con.execute(f"select indicator_code, name_zh from '{files[3]}'").fetchall()
        assert rows == [("political_legal_officers", "政法干警")]
        assert con.execute(f"select count(*) from '{files[1]}'").fetchall() == [(0,)]
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == sorted(f.name for f in files)


def test_export_keeps_comments_as_metadata_and_timestamps_in_utc(tmp_path: Path) -> None:
    out = tmp_path / "parquet"
    export_parquet(_published(tmp_path), out)
    with duckdb.connect() as con:
        mart = out / "metrics_by_organisation.parquet"
        meta = dict(con.execute(f"select decode(key), decode(value) from parquet_kv_metadata('{mart}')").fetchall())
        assert "organisation" in meta["comment"]
        assert "on a tie" in meta["comment:latest_value"]
        runs = out / "runs.parquet"
        schema = dict(
            con.execute(f"select name, logical_type from parquet_schema('{runs}') where name like '%_at'").fetchall()
        )
        assert "isAdjustedToUTC=1" in str(schema["started_at"]).replace(" ", "").replace("true", "1")
        con.execute("set TimeZone = 'Asia/Shanghai'")
        started = con.execute(f"select strftime(started_at, '%Y-%m-%d %H:%M %z') from '{runs}'").fetchall()
        assert started == [("2026-03-01 14:00 +08",)]  # 06:00 UTC is 14:00 in Shanghai


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_export_of_a_corrupt_warehouse_says_why_in_one_line(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _published(tmp_path).path
    if damage == "truncate":
        with target.open("r+b") as fh:
            fh.truncate(target.stat().st_size // 3)
    else:
        target.write_bytes(b"not a database\n" * 100)
    broken = target.read_bytes()
    assert main(["export", "--warehouse", str(target), "--out", str(tmp_path / "parquet")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("report-metrics: export failed: the warehouse") and err.count("\n") == 1
    assert "Traceback" not in err
    assert target.read_bytes() == broken
    assert not (tmp_path / "parquet").exists() or not list((tmp_path / "parquet").iterdir())
