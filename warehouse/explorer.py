"""The explorer page and run summary of a published warehouse: read it read-only, render, write atomically.

Both entry points are safe to call after every run: a missing, empty or unreadable warehouse gives a page (or
summary) that says so instead of an exception.

Document text: the page highlights each metric at its exact characters, so it needs the text the offsets point
into. It takes `documents.text` when the warehouse has that column; otherwise it decodes the file at `source_path`
again and uses it only if the file's SHA-256 still equals the stored `content_hash`. A document whose file is gone
or changed is shown as "text unavailable" with its metrics listed, never highlighted at possibly wrong characters.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from transforms.ingest import DEFAULT_MAX_BYTES, Document, read_document
from warehouse.explorer_page import DocumentText, ExplorerData, Record, render_explorer, summary_markdown
from warehouse.store import connect_read_only, unreadable_reason

_METRIC_COLUMNS = (
    "metric_id, doc_id, content_hash, start_offset, end_offset, mention, value, unit, kind, approx, subject, "
    "indicator_code, indicator_name_zh, org, region, period_start, period_end, as_of"
)
# Where in a PDF, Word file or web page a metric was read (absent from warehouses built before these columns).
_LAYOUT_COLUMNS = ", page_number, block_kind, row_label, column_heading, heading_period"


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
    """Rows of `sql` as dicts; none when a table or view is missing (an empty or older warehouse)."""
    try:
        cursor = con.execute(sql, list(params))
    except duckdb.CatalogException:
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'main' and table_name = ? and column_name = ?",
        [table, column],
    ).fetchall()
    return bool(found[0][0])


def recover_text(source_path: str, content_hash: str, byte_count: int | None = None) -> tuple[str | None, str | None]:
    """The text of a document version re-read from its file, or None and why it cannot be trusted.

    The file is decoded as the run decoded it (`read_document`), so offsets match, and accepted only if its
    SHA-256 equals the stored `content_hash`.
    """
    path = Path(source_path)
    if not path.is_file():
        return None, f"its file {source_path} is no longer there"
    result = read_document(path, max(DEFAULT_MAX_BYTES, (byte_count or 0) + 1))
    if not isinstance(result, Document):
        return None, f"its file {source_path} can no longer be read ({result.check}: {result.reason})"
    if result.content_hash != content_hash:
        return None, f"its file {source_path} has changed since it was loaded (the next run will load the new version)"
    return result.text, None


def _documents(con: duckdb.DuckDBPyConnection) -> list[DocumentText]:
    text = "text" if _has_column(con, "documents", "text") else "cast(null as varchar) as text"
    rows = _records(
        con,
        "select doc_id, content_hash, source_path, byte_count, title, publisher, "
        f"cast(published_at as date) as published_on, region, {text} "
        "from documents where status = 'current' order by doc_id",
    )
    documents = []
    for row in rows:
        body, note = row["text"], None
        if body is None:
            body, note = recover_text(row["source_path"], row["content_hash"], row["byte_count"])
        documents.append(
            DocumentText(
                doc_id=row["doc_id"],
                content_hash=row["content_hash"],
                title=row["title"],
                publisher=row["publisher"],
                published_on=row["published_on"],
                region=row["region"],
                text=body,
                text_note=note,
            )
        )
    return documents


def load_explorer_data(warehouse: Path, with_documents: bool = True) -> ExplorerData:
    """What the explorer shows, read from one version of the published warehouse at `warehouse` (read-only).

    Without `with_documents`, document texts and metrics are not read (enough for the run summary).
    """
    now = datetime.now(UTC)
    if not warehouse.is_file():
        return ExplorerData(str(warehouse), now, problem=f"no warehouse at {warehouse}; run `report-metrics run`")
    problem = unreadable_reason(warehouse)
    if problem:
        return ExplorerData(str(warehouse), now, problem=f"the warehouse cannot be read: {problem}")
    with connect_read_only(warehouse) as con:
        runs = _records(con, "select * from runs order by started_at desc, run_id")
        run: Record | None = runs[0] if runs else None
        rejections = (
            _records(
                con, "select * from rejections where run_id = ? order by doc_id, stage, rejection_id", [run["run_id"]]
            )
            if run
            else []
        )
        return ExplorerData(
            warehouse=str(warehouse),
            generated_at=now,
            run=run,
            run_count=len(runs),
            rejections=rejections,
            by_region=_records(con, "select * from metrics_by_region order by region, indicator_code")
            if with_documents
            else [],
            by_organisation=_records(con, "select * from metrics_by_organisation order by org, indicator_code")
            if with_documents
            else [],
            metrics=_records(
                con,
                f"select {_METRIC_COLUMNS}{_LAYOUT_COLUMNS if _has_column(con, 'stg_metrics', 'row_label') else ''} "
                "from stg_metrics where is_current order by doc_id, start_offset",
            )
            if with_documents
            else [],
            documents=_documents(con) if with_documents else [],
            checks=_records(con, "select * from consistency_checks order by doc_id, metric_id, check_name"),
            series=_records(con, "select * from indicator_series order by indicator_code, region, period_end")
            if with_documents
            else [],
        )


def write_explorer(warehouse: Path, out: Path) -> Path:
    """Write the explorer page of the published warehouse at `warehouse` to `out`; returns `out`.

    The page is written beside `out` and renamed into place, so a browser or web server never sees half a file.
    """
    page = render_explorer(load_explorer_data(warehouse))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(partial, 0o644)
        os.replace(partial, out)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return out


def run_summary_markdown(warehouse: Path) -> str:
    """The latest run of the warehouse at `warehouse` in markdown: counts, rejections, consistency gaps."""
    return summary_markdown(load_explorer_data(warehouse, with_documents=False))
