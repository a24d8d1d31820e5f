"""The explorer and run summary of a published warehouse: read it once, read-only, render, write atomically.

`write_report` is what a run calls after it published: one read-only connection gives the entry page, the run
summary and the document pages that changed. Its files, beside the entry page `explorer.html`:

    explorer.html                 entry page: run, charts over aggregates, the first documents, checks (bounded)
    explorer.html.pages/          one page per current document, named by a hash of its doc_id (`page_name`)
        <hash>.html               the document's text with every metric highlighted, and its metrics table
        index.html                every document with its counts, linking its page
        explorer.css, explorer.js shared by the document pages
        manifest.json             page file → doc_id and the key of what the page shows

A document page is rewritten only when its key changes: a digest, computed in DuckDB, of the document's row and
its metrics' rows, with the version of the page renderer. Pages of documents no longer current are deleted. A
re-build with nothing changed rewrites only the entry page and the index. Every file is written under a temporary
name and renamed into place, so a browser or web server never sees half a page.

The folder is named after the entry page so that a run whose warehouse lies inside its input folder never reads
the pages back as reports (files named after a run's own outputs are skipped).

Every entry point is safe to call after every run: a missing, empty or unreadable warehouse gives a page (or
summary) that says so instead of an exception.

Document text: a page highlights each metric at its exact characters, so it needs the text the offsets point into.
It takes `documents.text` when the warehouse has that column; otherwise it decodes the file at `source_path` again
and uses it only if the file's SHA-256 still equals the stored `content_hash`. A document whose file is gone or
changed is shown as "text unavailable" with its metrics listed, never highlighted at possibly wrong characters.
Such pages (older warehouses only) depend on files outside the warehouse and are rewritten at every build.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from transforms.ingest import DEFAULT_MAX_BYTES, Document, read_document
from warehouse.backend import Warehouse
from warehouse.explorer_page import (
    CHART_GROUPS,
    CHART_INDICATORS,
    ENTRY_ROWS,
    INDEX_PAGE,
    SERIES_POINTS,
    SHARED_ASSETS,
    DocumentEntry,
    DocumentText,
    ExplorerData,
    Record,
    page_name,
    render_document,
    render_explorer,
    render_index,
    summary_markdown,
)

T = TypeVar("T")

_METRIC_COLUMNS = (
    "metric_id, doc_id, content_hash, start_offset, end_offset, mention, value, unit, kind, approx, subject, "
    "indicator_code, indicator_name_zh, org, region, period_start, period_end, as_of"
)
# Where in a PDF, Word file or web page a metric was read (absent from warehouses built before these columns).
_LAYOUT_COLUMNS = ", page_number, block_kind, row_label, column_heading, heading_period"
_DOCUMENT_COLUMNS = (
    "doc_id, content_hash, source_path, byte_count, title, publisher, cast(published_at as date) as published_on, "
    "region"
)
# The columns of a document row its page shows (its text is identified by content_hash).
_DOCUMENT_KEY = ("doc_id", "content_hash", "title", "publisher", "published_at", "region")
# Changed documents whose pages are rendered from one query (their texts and metrics held in memory at once).
PAGE_BATCH = 500
# Document pages to write worth sharing among processes: below it, starting one (about 1.5 CPU-seconds: DuckDB and
# plotly imported) costs more than it saves. Rendering is about 2 ms a page (10,000 pages: 18 s on one core).
PARALLEL_PAGES = 2_000
MANIFEST = "manifest.json"
_PAGE_FILE = re.compile(r"^[0-9a-f]{20}\.html$")
# A temporary file older than this is a leftover of an interrupted build, not one being written.
_STALE_PARTIAL_SECONDS = 600


@dataclass(frozen=True, slots=True)
class ExplorerReport:
    """What one build of the explorer wrote, and the run summary read along the way.

    `page` is the entry page, `pages` the folder of document pages; `written`, `kept` and `deleted` count the
    document pages rewritten, left as they were (unchanged) and removed (documents no longer current).
    """

    page: Path
    pages: Path
    summary: str
    written: int = 0
    kept: int = 0
    deleted: int = 0


def pages_folder(page: Path) -> Path:
    """The folder of document pages beside the entry page `page` (`explorer.html` → `explorer.html.pages`)."""
    return page.with_name(page.name + ".pages")


# ----------------------------------------------------------------------------------------------------------- reads


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[dict[str, Any]]:
    """Rows of `sql` as dicts; none when a table or view is missing (an empty or older warehouse)."""
    try:
        cursor = con.execute(sql, list(params))
    except duckdb.CatalogException:
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> int:
    """The single number `sql` returns; 0 when a table or view is missing."""
    rows = _records(con, sql, params)
    return int(next(iter(rows[0].values())) or 0) if rows else 0


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'main' and table_name = ? and column_name = ?",
        [table, column],
    ).fetchall()
    return bool(found[0][0])


def _metric_columns(con: duckdb.DuckDBPyConnection) -> str:
    return _METRIC_COLUMNS + (_LAYOUT_COLUMNS if _has_column(con, "stg_metrics", "row_label") else "")


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


# The heatmaps' rows: the marts' rows of the `CHART_GROUPS` groups and `CHART_INDICATORS` indicators with the most
# mentions. {mart} and {group} (the heatmap row's key, an expression over the mart's columns) are filled in.
_HEATMAP_SQL = """
with usable as (
    select *, {group} as heatmap_group from {mart}
    where latest_value is not null and indicator_code is not null
),
top_groups as (
    select heatmap_group from usable group by heatmap_group
    order by sum(mention_count) desc, heatmap_group nulls last limit ?
),
top_codes as (
    select indicator_code from usable group by indicator_code
    order by sum(mention_count) desc, indicator_code limit ?
)
select usable.* exclude (heatmap_group) from usable
where exists (select 1 from top_groups where top_groups.heatmap_group is not distinct from usable.heatmap_group)
    and indicator_code in (select indicator_code from top_codes)
order by {order}
"""
_HEATMAP_GROUPS_SQL = "select count(*) from (select distinct {group} from {mart} where latest_value is not null)"
_ORG_GROUP = "row(org, case when org is null then region end)"

# The series chart's rows: the indicators with the most figures, per indicator the regions with the most points,
# per region the latest points.
_SERIES_SQL = """
with usable as (
    select * from indicator_series
    where value is not null and period_end is not null and indicator_code is not null
),
top_codes as (
    select indicator_code from usable group by indicator_code order by count(*) desc, indicator_code limit ?
),
ranked as (
    select
        usable.*,
        count(*) over (partition by indicator_code, region) as region_points,
        row_number() over (partition by indicator_code, region order by period_end desc, org, metric_id) as recent
    from usable
    where indicator_code in (select indicator_code from top_codes)
),
top_regions as (
    select
        indicator_code,
        region,
        row_number() over (partition by indicator_code order by any_value(region_points) desc, region) as rank
    from ranked
    group by indicator_code, region
)
select ranked.* exclude (region_points, recent) from ranked
inner join top_regions
    on ranked.indicator_code = top_regions.indicator_code and ranked.region is not distinct from top_regions.region
where top_regions.rank <= ? and ranked.recent <= ?
order by ranked.indicator_code, ranked.region, ranked.period_end
"""

# The metric kinds of the documents with the most metrics.
_KINDS_SQL = """
with top_docs as (
    select doc_id from stg_metrics where is_current group by doc_id order by count(*) desc, doc_id limit ?
)
select doc_id, kind, count(*) as metric_count from stg_metrics
where is_current and doc_id in (select doc_id from top_docs)
group by doc_id, kind
order by doc_id, kind
"""

# The index of current documents: their metadata, metric and indicator counts and consistency gaps.
_INDEX_SQL = """
with counts as (
    select content_hash, count(*) as metric_count, count(distinct indicator_code) as indicator_count
    from stg_metrics where is_current group by content_hash
),
gaps as (
    select doc_id, count(*) as gap_count from consistency_checks
    where not coalesce(is_consistent, false) group by doc_id
)
select
    documents.doc_id, documents.title, documents.publisher, cast(documents.published_at as date) as published_on,
    documents.region, coalesce(counts.metric_count, 0) as metric_count,
    coalesce(counts.indicator_count, 0) as indicator_count, coalesce(gaps.gap_count, 0) as gap_count
from documents
left join counts on documents.content_hash = counts.content_hash
left join gaps on documents.doc_id = gaps.doc_id
where documents.status = 'current'
order by documents.doc_id
"""


def _heatmap(con: duckdb.DuckDBPyConnection, mart: str, group: str, order: str) -> tuple[list[Record], int]:
    rows = _records(con, _HEATMAP_SQL.format(mart=mart, group=group, order=order), [CHART_GROUPS, CHART_INDICATORS])
    return rows, _count(con, _HEATMAP_GROUPS_SQL.format(mart=mart, group=group))


def _overview(
    con: duckdb.DuckDBPyConnection, warehouse: Warehouse, now: datetime, with_documents: bool, entry_rows: int
) -> ExplorerData:
    """The entry page's data (or, without `with_documents`, only the run summary's) from an open connection, with
    at most `entry_rows` rows per table."""
    runs = _records(con, "select * from runs order by started_at desc, run_id limit 1")
    run: Record | None = runs[0] if runs else None
    run_id = [run["run_id"]] if run else [None]
    rejections = "from rejections where run_id = ?"
    checks = "from consistency_checks"
    data = ExplorerData(
        warehouse=warehouse.location,
        generated_at=now,
        run=run,
        run_count=_count(con, "select count(*) from runs"),
        rejections=_records(
            con, f"select * {rejections} order by doc_id, stage, rejection_id limit ?", [*run_id, entry_rows]
        ),
        rejection_count=_count(con, f"select count(*) {rejections}", run_id),
        checks=_records(
            con,
            f"select * {checks} order by coalesce(is_consistent, false), doc_id, metric_id, check_name limit ?",
            [entry_rows],
        ),
        check_count=_count(con, f"select count(*) {checks}"),
        gap_count=_count(con, f"select count(*) {checks} where not coalesce(is_consistent, false)"),
    )
    if not with_documents:
        return data
    by_region, region_count = _heatmap(con, "metrics_by_region", "region", "region, indicator_code")
    by_org, org_count = _heatmap(con, "metrics_by_organisation", _ORG_GROUP, "org, region, indicator_code")
    return replace(
        data,
        by_region=by_region,
        region_count=region_count,
        by_organisation=by_org,
        organisation_count=org_count,
        kinds=_records(con, _KINDS_SQL, [CHART_GROUPS]),
        series=_records(con, _SERIES_SQL, [CHART_INDICATORS, CHART_GROUPS, SERIES_POINTS]),
        documents=[DocumentEntry(**row) for row in _records(con, f"{_INDEX_SQL} limit ?", [entry_rows])],
        document_count=_count(con, "select count(*) from documents where status = 'current'"),
        metric_count=_count(con, "select count(*) from stg_metrics where is_current"),
    )


def _read(
    warehouse: Warehouse,
    read: Callable[[duckdb.DuckDBPyConnection, datetime], T],
    fallback: Callable[[ExplorerData], T],
) -> T:
    """`read` over one read-only connection to the published warehouse, or `fallback` of a page saying why the
    warehouse cannot be read (missing, or not a readable DuckDB file)."""
    now = datetime.now(UTC)
    where = warehouse.location
    if not warehouse.exists():
        return fallback(ExplorerData(where, now, problem=f"no warehouse at {where}; run `report-metrics run`"))
    problem = warehouse.problem()
    if problem:
        return fallback(ExplorerData(where, now, problem=f"the warehouse cannot be read: {problem.reason}"))
    with warehouse.connect_read_only() as con:
        return read(con, now)


def load_explorer_data(warehouse: Warehouse, with_documents: bool = True, entry_rows: int = ENTRY_ROWS) -> ExplorerData:
    """What the entry page shows, read from one version of the published `warehouse` (read-only).

    Without `with_documents`, the charts and the index of documents are not read (enough for the run summary).
    """
    return _read(
        warehouse, lambda con, now: _overview(con, warehouse, now, with_documents, entry_rows), lambda data: data
    )


def run_summary_markdown(warehouse: Warehouse) -> str:
    """The latest run of the published `warehouse` in markdown: counts, rejections, consistency gaps."""
    return summary_markdown(load_explorer_data(warehouse, with_documents=False))


# ---------------------------------------------------------------------------------------------------------- writes


def write_atomic(path: Path, content: str | Iterable[str]) -> None:
    """Write `content` (text, or text in pieces) to `path` through a temporary file renamed into place."""
    # one writer of a page at a time per process: the process id makes the name private (no mkstemp: it costs a
    # quarter of writing a document page)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8") as f:
            f.writelines([content] if isinstance(content, str) else content)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@cache
def page_version() -> str:
    """The version of the document page renderer: a digest of its code and templates (a change rewrites every
    page). The shared style and script are files of their own, so changing them rewrites only them."""
    digest = hashlib.sha256()
    package = resources.files("warehouse")
    for part in (
        package / "explorer_page.py",
        package / "explorer_assets" / "document.html",
        package / "explorer_assets" / "font_notice.html",
    ):
        digest.update(part.read_bytes())
    return digest.hexdigest()[:16]


def _page_keys(con: duckdb.DuckDBPyConnection, columns: str) -> dict[str, str | None]:
    """doc_id → digest of what its page shows (its document row and its metrics' rows), for every current
    document; None where the text is not stored in the warehouse (the page then depends on the file).

    A document's metric rows are digested as a set: the exclusive or of each row's 64-bit hash (the rows differ
    by metric_id, so none cancels another). Casting every row to text and hashing it per document took 5.4 s and
    2.4 GB at 100,000 documents (2.85 M metric rows); this takes 0.4 s and no more memory than the query.
    """
    stored_text = _has_column(con, "documents", "text")
    sql = f"""
        with metric_digests as (
            select content_hash, bit_xor(hash(row({columns}))) as digest
            from stg_metrics where is_current group by content_hash
        )
        select documents.doc_id, md5(cast(row({", ".join(f"documents.{c}" for c in _DOCUMENT_KEY)},
            metric_digests.digest) as varchar)) as digest
        from documents left join metric_digests on documents.content_hash = metric_digests.content_hash
        where documents.status = 'current'
    """
    return {row["doc_id"]: row["digest"] if stored_text else None for row in _records(con, sql)}


def _document_pages(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str], columns: str
) -> Iterator[tuple[DocumentText, list[Record]]]:
    """The texts and metrics of the current documents `doc_ids`, read `PAGE_BATCH` documents at a time."""
    text = "text" if _has_column(con, "documents", "text") else "cast(null as varchar) as text"
    for start in range(0, len(doc_ids), PAGE_BATCH):
        batch = list(doc_ids[start : start + PAGE_BATCH])
        documents = _records(
            con,
            f"select {_DOCUMENT_COLUMNS}, {text} from documents "
            "where status = 'current' and doc_id in (select unnest(?::varchar[])) order by doc_id",
            [batch],
        )
        by_hash: dict[str, list[Record]] = {}
        for metric in _records(
            con,
            f"select {columns} from stg_metrics where is_current "
            "and content_hash in (select unnest(?::varchar[])) order by content_hash, start_offset",
            [sorted({d["content_hash"] for d in documents})],
        ):
            by_hash.setdefault(str(metric["content_hash"]), []).append(metric)
        for row in documents:
            body, note = row["text"], None
            if body is None:
                body, note = recover_text(row["source_path"], row["content_hash"], row["byte_count"])
            document = DocumentText(
                doc_id=row["doc_id"],
                content_hash=row["content_hash"],
                title=row["title"],
                publisher=row["publisher"],
                published_on=row["published_on"],
                region=row["region"],
                text=body,
                text_note=note,
            )
            yield document, by_hash.get(document.content_hash, [])


def _read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """page file → {"doc_id", "key"} of the pages written by earlier builds; empty when missing or unreadable."""
    try:
        pages = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return pages if isinstance(pages, dict) else {}


def _remove_leftovers(folder: Path, wanted: set[str]) -> int:
    """Delete the pages of documents no longer current and temporary files of interrupted builds; how many pages."""
    deleted = 0
    for path in folder.iterdir():
        if _PAGE_FILE.match(path.name) and path.name not in wanted:
            path.unlink(missing_ok=True)
            deleted += 1
        elif path.name.endswith(".partial"):
            try:
                if time.time() - path.stat().st_mtime > _STALE_PARTIAL_SECONDS:
                    path.unlink()
            except FileNotFoundError:
                pass
    return deleted


def _write_shared_assets(folder: Path) -> None:
    """The style and script of the document pages, rewritten only when they differ."""
    for name in SHARED_ASSETS:
        text = (resources.files("warehouse") / "explorer_assets" / name).read_text(encoding="utf-8")
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_atomic(target, text)


def _render_pages(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str], columns: str, folder: Path, entry: str
) -> None:
    """Write the pages of the documents `doc_ids` into `folder` (`entry` the entry page's name)."""
    for document, metrics in _document_pages(con, doc_ids, columns):
        write_atomic(folder / page_name(document.doc_id), render_document(document, metrics, entry))


def _render_pages_apart(warehouse: Warehouse, doc_ids: Sequence[str], columns: str, folder: Path, entry: str) -> None:
    """`_render_pages` in a process of its own, over its own read-only connection."""
    with warehouse.connect_read_only() as con:
        _render_pages(con, doc_ids, columns, folder, entry)


def _write_pages(
    con: duckdb.DuckDBPyConnection, data: ExplorerData, out: Path, warehouse: Warehouse, workers: int = 1
) -> tuple[int, int, int]:
    """Bring the document pages beside `out` up to date; (written, kept, deleted). Many pages to write are shared
    among `workers` processes (this one and others started for the purpose)."""
    folder = pages_folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    _write_shared_assets(folder)
    columns = _metric_columns(con)
    version = f"{page_version()}:{out.name}"
    keys = {doc_id: f"{version}:{digest}" if digest else None for doc_id, digest in _page_keys(con, columns).items()}
    manifest = _read_manifest(folder)
    stale = [
        doc_id
        for doc_id, key in sorted(keys.items())
        if key is None
        or manifest.get(page_name(doc_id), {}).get("key") != key
        or not (folder / page_name(doc_id)).is_file()
    ]
    if workers > 1 and len(stale) >= PARALLEL_PAGES:
        # contiguous shares: each reads its documents' rows in a few queries; this process renders the first
        share = -(-len(stale) // workers)
        parts = [stale[i : i + share] for i in range(0, len(stale), share)]
        with ProcessPoolExecutor(len(parts) - 1, mp_context=multiprocessing.get_context("spawn")) as pool:
            others = [
                pool.submit(_render_pages_apart, warehouse, part, columns, folder, out.name) for part in parts[1:]
            ]
            _render_pages(con, parts[0], columns, folder, out.name)
            for other in others:
                other.result()
    else:
        _render_pages(con, stale, columns, folder, out.name)
    entries = (DocumentEntry(*row) for row in _stream(con, _INDEX_SQL))
    write_atomic(folder / INDEX_PAGE, render_index(entries, len(keys), data.warehouse, out.name))
    pages = {page_name(doc_id): {"doc_id": doc_id, "key": key or ""} for doc_id, key in keys.items()}
    write_atomic(folder / MANIFEST, json.dumps({"pages": pages}, ensure_ascii=False, indent=0, sort_keys=True))
    deleted = _remove_leftovers(folder, set(pages))
    return len(stale), len(keys) - len(stale), deleted


def _stream(con: duckdb.DuckDBPyConnection, sql: str, size: int = 10_000) -> Iterator[tuple[Any, ...]]:
    """The rows of `sql`, fetched `size` at a time; none when a table or view is missing."""
    try:
        cursor = con.execute(sql)
    except duckdb.CatalogException:
        return
    while rows := cursor.fetchmany(size):
        yield from rows


def write_report(warehouse: Warehouse, out: Path, entry_rows: int = ENTRY_ROWS, workers: int = 1) -> ExplorerReport:
    """Write the explorer of the published `warehouse` (the entry page `out` and the document pages
    beside it) and return it with the run summary, all from one read-only connection.

    The entry page's tables show at most `entry_rows` rows each. When the warehouse cannot be read, the entry page
    says why and the document pages are left as they are. With `workers` over one, many document pages to write
    are rendered on that many processes.
    """
    out.parent.mkdir(parents=True, exist_ok=True)

    def read(con: duckdb.DuckDBPyConnection, now: datetime) -> tuple[ExplorerData, tuple[int, int, int]]:
        data = _overview(con, warehouse, now, True, entry_rows)
        return data, _write_pages(con, data, out, warehouse, workers)

    data, (written, kept, deleted) = _read(warehouse, read, lambda data: (data, (0, 0, 0)))
    write_atomic(out, render_explorer(data, pages_folder(out).name))
    return ExplorerReport(out, pages_folder(out), summary_markdown(data), written, kept, deleted)


def write_explorer(warehouse: Warehouse, out: Path, workers: int = 1) -> Path:
    """Write the explorer of the published `warehouse`: the entry page `out` (returned) and the
    document pages in the folder beside it (see `write_report`)."""
    return write_report(warehouse, out, workers=workers).page
