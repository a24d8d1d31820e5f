"""Warehouse rows built from a document and its rejections: no time zones, stable rejection ids."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from transforms.ingest import Document, content_hash
from transforms.metadata import DocumentMeta
from transforms.rows import decimal_text, document_row, rejection_frame, rejection_row

TEXT = "全市共有民警1200名,比去年减少12名。"  # "The city has 1200 police officers, 12 fewer than last year."


def _doc(text: str = TEXT) -> Document:
    raw = text.encode()
    return Document("d", "inbox/d.txt", content_hash(raw), "utf_8", text, len(raw))


def test_decimal_text_is_plain() -> None:
    assert decimal_text(Decimal("2.42E+5")) == "242000"
    assert decimal_text(Decimal("69.110")) == "69.11"


def test_document_row_drops_time_zones() -> None:
    meta = DocumentMeta(
        title="标题",
        title_source="first_heading_line",
        publisher=None,
        publisher_source=None,
        published_at=datetime(2021, 11, 3, 10, 0, tzinfo=UTC),
        published_at_source="dateline",
        region=None,
        region_code=None,
        region_source=None,
    )
    row = document_row(_doc(), meta, extractor_version="1", catalog_version="c")
    assert row["published_at"] == datetime(2021, 11, 3, 10, 0)
    assert row["title"] == "标题" and row["publisher"] is None


def test_rejection_ids_are_stable_and_deduplicated() -> None:
    a = rejection_row("d", "p", "validate", "value_finite", "bad", "NaN", row_key="m1")
    b = rejection_row("d", "p", "validate", "value_finite", "bad", "NaN", row_key="m1")
    c = rejection_row("d", "p", "validate", "value_finite", "bad", "NaN", row_key="m2")
    assert a["rejection_id"] == b["rejection_id"] != c["rejection_id"]
    assert len(rejection_frame([a, b, c])) == 2


def test_an_offending_decimal_is_recorded_as_plain_text() -> None:
    row = rejection_row("d", "p", "validate", "percent_in_plausible_range", "bad", Decimal("6.911E+3"))
    assert row["offending_value"] == "6911"
