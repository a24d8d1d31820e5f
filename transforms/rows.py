"""Tabular rows for the warehouse, built from decoded documents, their extracted metrics and rejections.

Each function returns a pandas DataFrame whose columns are those of the warehouse table it feeds (see
`warehouse/schema/tables.sql`), plus, for metrics, the two columns the validation gate checks spans against
(`source_slice`, `doc_char_count`), which are not loaded. Metric values stay exact `Decimal` values until the
DECIMAL column they are loaded into.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from transforms.analyse import NO_LAYOUT, MetricLayout
from transforms.attribution import Attribution
from transforms.extract import Metric
from transforms.indicators import Link, load_catalog
from transforms.ingest import Document, Rejection
from transforms.metadata import DocumentMeta

METRIC_COLUMNS: tuple[str, ...] = (
    "metric_id",
    "doc_id",
    "content_hash",
    "start_offset",
    "end_offset",
    "mention",
    "value",
    "value_high",
    "unit",
    "unit_family",
    "approx",
    "kind",
    "subject",
    "subject_simplified",
    "sentence_start",
    "sentence_end",
    "modifies_metric_id",
    "indicator_code",
    "indicator_name",
    "context",
    "org",
    "org_kind",
    "region",
    "region_code",
    "period_start",
    "period_end",
    "as_of",
    # layout provenance (null for plain text): where in a PDF, Word file or web page the figure was read
    "page_number",
    "block_kind",
    "table_index",
    "table_row",
    "table_column",
    "row_label",
    "column_heading",
    "heading_period",
    # checked by the validation gate, not loaded
    "source_slice",
    "doc_char_count",
)
GATE_ONLY_COLUMNS: tuple[str, ...] = ("source_slice", "doc_char_count")
LINK_COLUMNS: tuple[str, ...] = ("metric_id", "related_metric_id", "relation", "content_hash")
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "content_hash",
    "source_path",
    "encoding",
    "media_type",
    "char_count",
    "byte_count",
    "text",
    "title",
    "title_source",
    "publisher",
    "publisher_source",
    "published_at",
    "published_at_source",
    "region",
    "region_code",
    "region_source",
    "extractor_version",
    "catalog_version",
)
REJECTION_COLUMNS: tuple[str, ...] = (
    "rejection_id",
    "doc_id",
    "source_path",
    "content_hash",
    "stage",
    "check_name",
    "column_name",
    "row_key",
    "reason",
    "offending_value",
)
# Characters of context kept on each side of a mention, within its sentence.
CONTEXT_CHARS = 60


def metric_id(content_hash: str, start: int, end: int) -> str:
    """Stable id of a metric mention: the same span of the same document version always gets the same id."""
    return f"{content_hash[:16]}:{start}:{end}"


def decimal_text(value: object) -> str:
    """A value as plain decimal text without exponent or float noise: Decimal('2.42E+5') → '242000'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# What a metric or document carries when nothing could be attributed to it.
_UNATTRIBUTED = Attribution(None, None, None, None, None, None)
_NO_META = DocumentMeta(**{f.name: None for f in fields(DocumentMeta)})


def _context(text: str, m: Metric) -> str:
    lo = max(m.sentence_start, m.start - CONTEXT_CHARS)
    hi = min(max(m.sentence_end, m.end), m.end + CONTEXT_CHARS)
    return text[lo:hi].strip()


def _naive(value: datetime | None) -> datetime | None:
    """Datetimes without a time zone (DuckDB's TIMESTAMPTZ conversion warns): UTC offsets are dropped as is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def metric_rows(
    doc: Document,
    metrics: Sequence[Metric],
    indicator_codes: Sequence[str | None] | None = None,
    attributions: Sequence[Attribution] | None = None,
    layouts: Sequence[MetricLayout] | None = None,
) -> list[dict[str, object]]:
    """One row per metric mention of `doc`, in extraction order, with links between changes and their base.

    `indicator_codes`, `attributions` and `layouts` run parallel to `metrics`; missing ones leave the columns null.
    """
    ids = [metric_id(doc.content_hash, m.start, m.end) for m in metrics]
    rows: list[dict[str, object]] = []
    for i, (mid, m) in enumerate(zip(ids, metrics, strict=True)):
        attribution = attributions[i] if attributions is not None and i < len(attributions) else _UNATTRIBUTED
        layout = layouts[i] if layouts is not None and i < len(layouts) else NO_LAYOUT
        in_bounds = 0 <= m.start <= m.end <= len(doc.text)
        rows.append(
            {
                "metric_id": mid,
                "doc_id": doc.doc_id,
                "content_hash": doc.content_hash,
                "start_offset": m.start,
                "end_offset": m.end,
                "mention": m.mention,
                "value": m.value,
                "value_high": m.value_high,
                "unit": m.unit,
                "unit_family": m.unit_family,
                "approx": m.approx,
                "kind": m.kind,
                "subject": m.subject,
                "subject_simplified": m.subject_simplified,
                "sentence_start": m.sentence_start,
                "sentence_end": m.sentence_end,
                "modifies_metric_id": ids[m.modifies]
                if m.modifies is not None and 0 <= m.modifies < len(ids)
                else None,
                "indicator_code": indicator_codes[i] if indicator_codes is not None else None,
                "indicator_name": load_catalog().name(indicator_codes[i]) if indicator_codes is not None else None,
                "context": _context(doc.text, m) if in_bounds else None,
                "org": attribution.org,
                "org_kind": attribution.org_kind,
                "region": attribution.region,
                "region_code": attribution.region_code,
                "period_start": attribution.period_start,
                "period_end": attribution.period_end,
                "as_of": attribution.as_of,
                "page_number": layout.page_number,
                "block_kind": layout.block_kind,
                "table_index": layout.table_index,
                "table_row": layout.table_row,
                "table_column": layout.table_column,
                "row_label": layout.row_label,
                "column_heading": layout.column_heading,
                "heading_period": layout.heading_period,
                "source_slice": doc.text[m.start : m.end] if in_bounds else None,
                "doc_char_count": len(doc.text),
            }
        )
    return rows


def link_rows(doc: Document, metrics: Sequence[Metric], links: Iterable[Link]) -> list[dict[str, object]]:
    """One row per relation between two metric mentions of `doc` (part_of, resolved_of, numerator, denominator)."""
    ids = [metric_id(doc.content_hash, m.start, m.end) for m in metrics]
    return [
        {
            "metric_id": ids[link.source],
            "related_metric_id": ids[link.target],
            "relation": link.relation,
            "content_hash": doc.content_hash,
        }
        for link in links
    ]


def frame(rows: Iterable[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame with exactly `columns`, in order, even when there are no rows."""
    return pd.DataFrame(list(rows), columns=list(columns))


def document_row(
    doc: Document, meta: DocumentMeta | None = None, *, extractor_version: str, catalog_version: str
) -> dict[str, Any]:
    """One decoded document version; `meta` gives title, publisher, date and region (all null without it)."""
    meta = meta or _NO_META
    return {
        "doc_id": doc.doc_id,
        "content_hash": doc.content_hash,
        "source_path": doc.source_path,
        "encoding": doc.encoding,
        "media_type": doc.media_type,
        "char_count": len(doc.text),
        "byte_count": doc.byte_count,
        "text": doc.text,
        "title": meta.title,
        "title_source": meta.title_source,
        "publisher": meta.publisher,
        "publisher_source": meta.publisher_source,
        "published_at": _naive(meta.published_at),
        "published_at_source": meta.published_at_source,
        "region": meta.region,
        "region_code": meta.region_code,
        "region_source": meta.region_source,
        "extractor_version": extractor_version,
        "catalog_version": catalog_version,
    }


def document_frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Documents as a frame with a datetime `published_at` column even when every value is missing."""
    df = frame(rows, DOCUMENT_COLUMNS)
    df["published_at"] = pd.to_datetime(df["published_at"])
    return df


def rejection_id(*parts: object) -> str:
    """Stable id of one rejection: the same failure of the same input is recorded once, however often it recurs."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def rejection_row(
    doc_id: str,
    source_path: str,
    stage: str,
    check: str,
    reason: str,
    value: object = None,
    *,
    content_hash: str | None = None,
    column: str | None = None,
    row_key: str | None = None,
) -> dict[str, object]:
    """One rejected document or row with the check that failed and the offending value (a decimal as plain
    text: `242000`, not `2.42E+5`)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        offending = None
    else:
        offending = decimal_text(value) if isinstance(value, Decimal) else str(value)
    return {
        "rejection_id": rejection_id(doc_id, source_path, content_hash, stage, check, column, row_key, offending),
        "doc_id": doc_id,
        "source_path": source_path,
        "content_hash": content_hash,
        "stage": stage,
        "check_name": check,
        "column_name": column,
        "row_key": row_key,
        "reason": reason,
        "offending_value": offending,
    }


def from_rejection(r: Rejection, content_hash: str | None = None) -> dict[str, object]:
    """A rejection row from an ingestion or extraction Rejection."""
    return rejection_row(r.doc_id, r.source_path, r.stage, r.check, r.reason, r.value, content_hash=content_hash)


def rejection_frame(rows: Iterable[dict[str, object]]) -> pd.DataFrame:
    """Rejections as a frame, one row per rejection id (a failure reported twice is kept once)."""
    return frame(rows, REJECTION_COLUMNS).drop_duplicates("rejection_id").reset_index(drop=True)
