"""Tabular rows for the warehouse, built from decoded documents and rejections, and the frames of all rows.

Each frame's columns are those of the warehouse table it feeds (see `warehouse/schema/tables.sql`). A metric's row
is its record's (`transforms.record.MetricRecord.row`), with the two columns the validation gate checks spans
against (`source_slice`, `doc_char_count`), which are not loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from transforms.ingest import Document, Rejection
from transforms.metadata import DocumentMeta

# Columns of a metric row (`transforms.record.MetricRecord.row`) that the validation gate checks spans against and
# the load drops.
GATE_ONLY_COLUMNS: tuple[str, ...] = ("source_slice", "doc_char_count")
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


def decimal_text(value: object) -> str:
    """A value as plain decimal text without exponent or float noise: Decimal('2.42E+5') → '242000'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# What a document carries when nothing could be read of its metadata.
_NO_META = DocumentMeta(**{f.name: None for f in fields(DocumentMeta)})


def _naive(value: datetime | None) -> datetime | None:
    """Datetimes without a time zone (DuckDB's TIMESTAMPTZ conversion warns): UTC offsets are dropped as is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


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
