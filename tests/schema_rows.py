"""Rows as extraction produces them, one that passes each schema, for tests of the validation gate."""

from __future__ import annotations

from decimal import Decimal

from transforms.rows import DOCUMENT_COLUMNS
from validation.schemas import METRIC_COLUMNS

HASH = "a" * 64
TEXT = "全区458名政法干警参加学习,结案率69.11%。"  # "All 458 officers took part; closure rate 69.11%."


def metric_row(**changes: object) -> dict[str, object]:
    """A metric row that passes `ExtractedMetrics` (458名 in TEXT), with `changes` applied."""
    row: dict[str, object] = {column: None for column in METRIC_COLUMNS}
    row.update(
        {
            "metric_id": "m1",
            "doc_id": "d",
            "content_hash": HASH,
            "start_offset": 2,
            "end_offset": 6,
            "mention": "458名",
            "value": Decimal("458"),
            "unit": "名",
            "unit_family": "people",
            "kind": "count",
            "subject": "政法干警",
            "subject_simplified": "政法干警",
            "sentence_start": 0,
            "sentence_end": len(TEXT),
            "indicator_code": "political_legal_officers",
            "source_slice": "458名",
            "doc_char_count": len(TEXT),
        }
    )
    row.update(changes)
    return row


def document_row(**changes: object) -> dict[str, object]:
    """A document row that passes `Documents`, with `changes` applied."""
    row: dict[str, object] = {column: None for column in DOCUMENT_COLUMNS}
    row.update(
        {
            "doc_id": "d",
            "content_hash": HASH,
            "source_path": "inbox/d.txt",
            "encoding": "utf_8",
            "char_count": 10,
            "text": "全区458名政法干警",
            "byte_count": 30,
            "extractor_version": "1",
            "catalog_version": "c",
        }
    )
    row.update(changes)
    return row
