"""Warehouse rows built from a document and its metrics: stable ids, the text under each span, no time zones."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from transforms.attribution import Attribution
from transforms.extract import extract_metrics
from transforms.ingest import Document, content_hash
from transforms.metadata import DocumentMeta
from transforms.rows import decimal_text, document_row, metric_id, metric_rows, rejection_frame, rejection_row

TEXT = "全市共有民警1200名,比去年减少12名。"  # "The city has 1200 police officers, 12 fewer than last year."


def _doc(text: str = TEXT) -> Document:
    raw = text.encode()
    return Document("d", "inbox/d.txt", content_hash(raw), "utf_8", text, len(raw))


def test_metric_rows_carry_the_text_slice_and_stable_ids() -> None:
    doc = _doc()
    metrics = extract_metrics(doc.text)
    rows = metric_rows(doc, metrics, ["political_legal_officers", "political_legal_officers"])
    assert [r["metric_id"] for r in rows] == [metric_id(doc.content_hash, m.start, m.end) for m in metrics]
    assert all(r["source_slice"] == r["mention"] for r in rows)
    assert rows[1]["modifies_metric_id"] == rows[0]["metric_id"]
    assert rows[1]["value"] == Decimal("-12") and isinstance(rows[1]["value"], Decimal)
    assert rows[0]["indicator_code"] == "political_legal_officers"
    assert rows[0]["org"] is None and rows[0]["doc_char_count"] == len(TEXT)
    assert "民警1200名" in str(rows[0]["context"])


def test_attribution_fills_its_columns() -> None:
    doc = _doc()
    metrics = extract_metrics(doc.text)
    who = Attribution(
        org="遂宁市公安局", region="四川省遂宁市", region_code="510900", period_start=None, period_end=None, as_of=None
    )
    rows = metric_rows(doc, metrics, None, [who, who])
    assert rows[0]["org"] == "遂宁市公安局" and rows[0]["region_code"] == "510900"


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
