"""Parquet copies of the published tables and marts, for tools that read Parquet rather than DuckDB files.

Each file carries the comments of its table and columns as Parquet key/value metadata (`comment` for the table,
`comment:<column>` for each column), and its timestamps as UTC instants (`timestamp with time zone`, which Parquet
stores as adjusted to UTC), so that a reader never has to guess their zone.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse.backend import Warehouse
from warehouse.store import disk_full_reason, view_files

# The published tables, in the order a reader would meet them; the marts follow them (`marts_to_export`).
EXPORTED_TABLES: tuple[str, ...] = ("documents", "metrics", "metric_links", "indicators", "rejections", "runs")


class ExportError(RuntimeError):
    """The export could not be written or the warehouse not read; the message is a one-line reason."""


def marts_to_export() -> tuple[str, ...]:
    """The published marts (the views of `warehouse/marts/`), by file name."""
    return tuple(path.stem for path in view_files() if path.parent.name == "marts")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select_and_metadata(con: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str]:
    """The query that exports `name` (naive UTC timestamps as `timestamptz`) and its KV_METADATA literal."""
    columns = con.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where schema_name = 'main' and table_name = ? order by column_index",
        [name],
    ).fetchall()
    comment = con.execute(
        "select comment from duckdb_tables() where schema_name = 'main' and table_name = ? "
        "union all select comment from duckdb_views() where schema_name = 'main' and view_name = ?",
        [name, name],
    ).fetchall()
    # The warehouse stores instants as naive UTC timestamps; the session zone is UTC, so the cast keeps the instant.
    select = ", ".join(
        f'cast("{column}" as timestamptz) as "{column}"' if dtype == "TIMESTAMP" else f'"{column}"'
        for column, dtype, _ in columns
    )
    pairs = [(f"comment:{column}", text) for column, _, text in columns if text]
    if comment and comment[0][0]:
        pairs.insert(0, ("comment", comment[0][0]))
    metadata = "{" + ", ".join(f"{_literal(key)}: {_literal(value)}" for key, value in pairs) + "}"
    return f"select {select} from {name}", metadata


def export_parquet(warehouse: Warehouse, out_dir: Path) -> list[Path]:
    """Write each published table and mart of `warehouse` to `out_dir/<name>.parquet`; returns the files written.

    The warehouse is opened read-only (a scheduled run may publish meanwhile: the export reads one version), and
    each file is written beside its target and renamed into place, so a reader of `out_dir` never sees half a file.
    Raises ExportError with a one-line reason for a warehouse that cannot be read or a disk that is full; files
    already exported stay as they were, and no partial file is left behind.
    """
    problem = warehouse.problem()
    if problem:
        raise ExportError(f"the warehouse {warehouse.location} cannot be read: {problem.reason}")
    written: list[Path] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with warehouse.connect_read_only() as con:
            con.execute("set TimeZone = 'UTC'")
            for name in (*EXPORTED_TABLES, *marts_to_export()):
                target = out_dir / f"{name}.parquet"
                partial = out_dir / f".{name}.parquet.partial"
                select, metadata = _select_and_metadata(con, name)
                try:
                    con.execute(
                        f"copy ({select}) to {_literal(partial.as_posix())} "
                        f"(format parquet, compression zstd, kv_metadata {metadata})"
                    ).fetchall()
                    os.replace(partial, target)
                finally:
                    partial.unlink(missing_ok=True)
                written.append(target)
    except (OSError, duckdb.Error) as exc:
        full = disk_full_reason(exc)
        if full:
            raise ExportError(f"the disk is full ({full})") from None
        if isinstance(exc, OSError):
            raise ExportError(f"{exc.strerror or exc} ({exc.filename})") from None
        if isinstance(exc, duckdb.IOException | duckdb.CatalogException | duckdb.SerializationException):
            raise ExportError(
                f"the warehouse {warehouse.location} cannot be read: {str(exc).splitlines()[0]}"
            ) from None
        raise
    return written
