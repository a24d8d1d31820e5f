"""Parquet copies of the published tables, for tools that read Parquet rather than DuckDB files."""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.store import connect_read_only

# The published tables, in the order a reader would meet them.
EXPORTED_TABLES: tuple[str, ...] = ("documents", "metrics", "metric_links", "indicators", "rejections", "runs")


def export_parquet(warehouse: Path, out_dir: Path) -> list[Path]:
    """Write each published table of `warehouse` to `out_dir/<table>.parquet`; returns the files written.

    The warehouse is opened read-only (a scheduled run may publish meanwhile: the export reads one version), and
    each file is written beside its target and renamed into place, so a reader of `out_dir` never sees half a file.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with connect_read_only(warehouse) as con:
        for table in EXPORTED_TABLES:
            target = out_dir / f"{table}.parquet"
            partial = out_dir / f".{table}.parquet.partial"
            con.execute(
                f"copy (select * from {table}) to '{partial.as_posix().replace(chr(39), chr(39) * 2)}' "
                "(format parquet, compression zstd)"
            ).fetchall()
            os.replace(partial, target)
            written.append(target)
    return written
