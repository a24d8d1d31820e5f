"""Tabular rows for the warehouse, built from decoded documents, their extracted metrics and rejections.

Each function returns a pandas DataFrame whose columns are those of the warehouse table it feeds (see
`warehouse/schema/tables.sql`). Metric values travel as exact decimal text and are cast to DECIMAL on load.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from transforms.extract import Metric
from transforms.ingest import Document, Rejection

METRIC_COLUMNS: tuple[str, ...] = (
    "metric_id",
    "doc_id",
    "content_hash",
    "start_offset",
    "end_offset",
    "mention",
    "value",
    "unit",
    "unit_family",
    "approx",
    "kind",
    "subject",
    "subject_simplified",
    "sentence_start",
    "sentence_end",
    "modifies_metric_id",
)
DOCUMENT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "content_hash",
    "source_path",
    "encoding",
    "char_count",
    "byte_count",
)
REJECTION_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "source_path",
    "stage",
    "check_name",
    "reason",
    "offending_value",
)


def metric_id(content_hash: str, start: int, end: int) -> str:
    """Stable id of a metric mention: the same span of the same document version always gets the same id."""
    return f"{content_hash[:16]}:{start}:{end}"


def decimal_text(value: object) -> str:
    """A value as plain decimal text without exponent or float noise: Decimal('2.42E+5') → '242000'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def metric_rows(doc: Document, metrics: Sequence[Metric]) -> list[dict[str, object]]:
    """One row per metric mention of `doc`, in extraction order, with links between changes and their base."""
    ids = [metric_id(doc.content_hash, m.start, m.end) for m in metrics]
    rows: list[dict[str, object]] = []
    for mid, m in zip(ids, metrics, strict=True):
        rows.append(
            {
                "metric_id": mid,
                "doc_id": doc.doc_id,
                "content_hash": doc.content_hash,
                "start_offset": m.start,
                "end_offset": m.end,
                "mention": m.mention,
                "value": decimal_text(m.value),
                "unit": m.unit,
                "unit_family": m.unit_family,
                "approx": m.approx,
                "kind": m.kind,
                "subject": m.subject,
                "subject_simplified": m.subject_simplified,
                "sentence_start": m.sentence_start,
                "sentence_end": m.sentence_end,
                "modifies_metric_id": ids[m.modifies] if m.modifies is not None else None,
            }
        )
    return rows


def frame(rows: Iterable[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame with exactly `columns`, in order, even when there are no rows."""
    return pd.DataFrame(list(rows), columns=list(columns))


def document_rows(docs: Iterable[Document]) -> pd.DataFrame:
    """One row per decoded document version."""
    return frame(
        (
            {
                "doc_id": d.doc_id,
                "content_hash": d.content_hash,
                "source_path": d.source_path,
                "encoding": d.encoding,
                "char_count": len(d.text),
                "byte_count": d.byte_count,
            }
            for d in docs
        ),
        DOCUMENT_COLUMNS,
    )


def rejection_rows(rejections: Iterable[Rejection]) -> pd.DataFrame:
    """One row per rejected document or row, with the check that failed and the offending value."""
    return frame(
        (
            {
                "doc_id": r.doc_id,
                "source_path": r.source_path,
                "stage": r.stage,
                "check_name": r.check,
                "reason": r.reason,
                "offending_value": r.value,
            }
            for r in rejections
        ),
        REJECTION_COLUMNS,
    )
