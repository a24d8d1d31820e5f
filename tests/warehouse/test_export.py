"""Parquet export of the published tables."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.export import EXPORTED_TABLES, export_parquet
from warehouse.store import publish


def test_every_published_table_is_exported_with_its_rows(tmp_path: Path) -> None:
    target = tmp_path / "metrics.duckdb"
    publish(
        target,
        lambda con: con.execute(
            "insert into indicators (indicator_code, name_zh, name_en, unit_family, kinds, subjects, formulas, "
            "catalog_version) values ('political_legal_officers', '政法干警', 'Officers', 'people', "
            "'count', '政法干警', null, 'v')"
        ),
    )
    files = export_parquet(target, tmp_path / "parquet")
    assert [f.name for f in files] == [f"{t}.parquet" for t in EXPORTED_TABLES]
    with duckdb.connect() as con:
        rows = con.execute(f"select indicator_code, name_zh from '{files[3]}'").fetchall()
        assert rows == [("political_legal_officers", "政法干警")]
        assert con.execute(f"select count(*) from '{files[1]}'").fetchall() == [(0,)]
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == sorted(f.name for f in files)
