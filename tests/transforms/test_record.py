"""One record per metric: the warehouse row and the JSON Lines record are one serialisation of it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from report_files import Table, html_page

from transforms.analyse import analyse
from transforms.attribution import Attribution
from transforms.extract import decimal_to_json
from transforms.ingest import Document, content_hash, read_document
from transforms.record import JSON_COLUMNS, JSON_FIELDS, MetricLayout, MetricRecord, metric_id

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = "全市共有民警1200名,比去年减少12名。"  # "The city has 1200 police officers, 12 fewer than last year."
# "Unit: cases" / item | 2022 / this period | year on year (%) — a table read cell by cell, with its period
TABLE = Table([["项目", "2022年", ""], ["", "本期", "同比(%)"], ["刑事案件", "1,379", "12.5"]], spans=[(0, 1, 2)])


def _records(text: str = TEXT) -> list[MetricRecord]:
    return analyse(text, source_name="inbox/d.txt", content_hash=content_hash(text.encode())).records


def test_rows_carry_stable_ids_the_text_under_the_span_and_exact_values() -> None:
    rows = [r.row() for r in _records()]
    digest = content_hash(TEXT.encode())
    assert [r["metric_id"] for r in rows] == [metric_id(digest, 6, 11), metric_id(digest, 17, 20)]
    assert all(r["source_slice"] == r["mention"] for r in rows)
    assert rows[1]["modifies_metric_id"] == rows[0]["metric_id"]
    assert rows[1]["value"] == Decimal("-12") and isinstance(rows[1]["value"], Decimal)
    assert rows[0]["indicator_code"] == "police_officers" and rows[0]["indicator_name"] == "公安民警人数"
    assert rows[0]["doc_id"] == "inbox/d.txt" and rows[0]["content_hash"] == digest
    assert rows[0]["org"] is None and rows[0]["doc_char_count"] == len(TEXT)
    assert "民警1200名" in str(rows[0]["context"])


def test_without_a_content_hash_a_metric_is_named_by_its_span() -> None:
    assert [r.metric_id for r in analyse(TEXT).records] == [":6:11", ":17:20"]


def test_attribution_and_layout_fill_their_columns() -> None:
    who = Attribution("遂宁市公安局", "四川省遂宁市", "510900", date(2022, 1, 1), date(2022, 12, 31), None, "police")
    cell = MetricLayout(3, "table_cell", 0, 2, 1, "刑事案件", "2022年 本期", "2022年")
    row = _records()[0]._replace(attribution=who, layout=cell).row()
    assert (row["org"], row["org_kind"], row["region"], row["region_code"]) == (
        "遂宁市公安局",
        "police",
        "四川省遂宁市",
        "510900",
    )
    assert (row["period_start"], row["period_end"], row["as_of"]) == (date(2022, 1, 1), date(2022, 12, 31), None)
    assert [row[c] for c in ("page_number", "block_kind", "table_index", "table_row", "table_column")] == [
        3,
        "table_cell",
        0,
        2,
        1,
    ]
    assert (row["row_label"], row["column_heading"], row["heading_period"]) == ("刑事案件", "2022年 本期", "2022年")


def _documents(tmp_path: Path) -> list[Document]:
    page = tmp_path / "court.html"
    # "2022 court report" / "Unit: cases" / the table / "All 458 officers took part"
    page.write_text(html_page([("h", "2022年法院工作报告"), "单位：件", TABLE, "全区458名政法干警参加学习。"]))
    docs = [read_document(path) for path in [*sorted(SEEDS.glob("*.txt")), page]]
    assert all(isinstance(doc, Document) for doc in docs)
    return docs  # type: ignore[return-value]


def test_the_json_record_and_the_row_of_a_metric_agree_field_by_field(tmp_path: Path) -> None:
    checked: set[str] = set()
    for doc in _documents(tmp_path):
        records = analyse(doc.text, layout=doc.layout, source_name=doc.doc_id, content_hash=doc.content_hash).records
        index = {r.metric_id: i for i, r in enumerate(records)}
        for record in records:
            row, printed = record.row(), record.json(doc.source_path)
            assert list(printed) == list(JSON_FIELDS)
            assert printed["source_path"] == doc.source_path
            assert printed["modifies"] == index.get(row["modifies_metric_id"])  # type: ignore[arg-type]
            for name in JSON_FIELDS[2:]:
                if name == "modifies":
                    continue
                value = row[JSON_COLUMNS.get(name, name)]
                if isinstance(value, Decimal):
                    assert Decimal(str(printed[name])) == value and printed[name] == decimal_to_json(value), name
                elif isinstance(value, date):
                    assert printed[name] == value.isoformat(), name
                else:
                    assert printed[name] == value, name
                if value is not None:
                    checked.add(name)
            assert printed["doc_id"] == row["doc_id"]
    # every field was compared with a value somewhere: dates, ranges, table cells and changes included
    assert checked >= set(JSON_FIELDS[2:]) - {"modifies", "approx", "value_high", "as_of", "page_number"}


@pytest.mark.parametrize(
    ("text", "value", "value_high"),
    [
        pytest.param("结案率达98.5%。", 98.5, None, id="float_roundtrips"),  # "closure rate 98.5%"
        # "12,345,678,901,234,567 cases accepted in all": no float holds it, so it is printed as a decimal string
        pytest.param("累计受理案件12345678901234567件。", "12345678901234567", None, id="string_when_lossy"),
        # "informants receive 50,000 to 80,000 yuan"
        pytest.param("对举报人奖励5至8万元。", 50000, 80000, id="range"),
    ],
)
def test_the_json_record_keeps_the_exact_value(text: str, value: object, value_high: object) -> None:
    (record,) = _records(text)
    back = json.loads(json.dumps(record.json(), ensure_ascii=False))
    assert (back["value"], back["value_high"]) == (value, value_high)
    assert Decimal(str(back["value"])) == record.metric.value
