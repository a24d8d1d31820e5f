"""End to end: `report-metrics run` over a folder of plain-text, web-page, PDF and Word reports loads them all."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from report_files import PAGE_BREAK, Table, html_page, write_docx, write_pdf, write_scanned_pdf

from flows.cli import main
from warehouse.explorer import pages_folder
from warehouse.store import connect_read_only

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_server")]
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# "Unit: cases" / item | 2022 this period | y/y (%)
TABLE = Table([["项目", "2022年本期", "同比(%)"], ["刑事案件", "1,379", "12.5"], ["合计", "9,579", "1.1"]])
PARA = "全区458名政法干警参加学习教育，共开展集中学习227场次。"  # "458 officers took part; 227 study sessions"


def test_run_loads_text_html_pdf_and_docx_reports_with_table_provenance(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), inbox / "seed.txt")
    (inbox / "page.html").write_text(html_page([PARA, "单位：件", TABLE]), encoding="utf-8")
    write_pdf(inbox / "report.pdf", [("h", "2022年工作报告"), PARA, PAGE_BREAK, "单位：件", TABLE])
    write_docx(inbox / "statement.docx", [("h", "2022年工作报告"), PARA, "单位：件", TABLE])
    write_scanned_pdf(inbox / "scan.pdf")
    warehouse = tmp_path / "metrics.duckdb"

    assert main(["run", "--input", str(inbox), "--warehouse", str(warehouse)]) == 0

    with connect_read_only(warehouse) as con:
        media = dict(con.execute("select doc_id, media_type from documents").fetchall())
        assert media == {
            "seed.txt": "text/plain",
            "page.html": "text/html",
            "report.pdf": "application/pdf",
            "statement.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        rejected = con.execute("select doc_id, check_name from rejections").fetchall()
        assert rejected == [("scan.pdf", "no_text_layer")]
        cells = con.execute(
            "select doc_id, mention, value, unit, kind, subject, page_number, table_row, table_column, row_label, "
            "column_heading, heading_period, modifies_metric_id is not null "
            "from metrics where block_kind = 'table_cell' order by doc_id, start_offset"
        ).fetchall()
        expected = [
            ("1,379", Decimal("1379"), "件", "count", "刑事案件", 1, 1, "刑事案件", "2022年本期", "2022年", False),
            ("12.5", Decimal("12.5"), "%", "change_pct", "刑事案件", 1, 2, "刑事案件", "同比(%)", None, True),
            ("9,579", Decimal("9579"), "件", "count", "合计", 2, 1, "合计", "2022年本期", "2022年", False),
            ("1.1", Decimal("1.1"), "%", "change_pct", "合计", 2, 2, "合计", "同比(%)", None, True),
        ]
        for doc_id, page in (("page.html", None), ("report.pdf", 2), ("statement.docx", None)):
            got = [c[1:] for c in cells if c[0] == doc_id]
            assert got == [(*e[:5], page, *e[5:]) for e in expected], doc_id
        periods = con.execute(
            "select distinct period_start, period_end from metrics where heading_period = '2022年'"
        ).fetchall()
        assert [(str(a), str(b)) for a, b in periods] == [("2022-01-01", "2022-12-31")]
        parts = con.execute(
            "select doc_id, stated_mention, recomputed_from, is_consistent from consistency_checks "
            "where check_name = 'parts_within_total' and doc_id <> 'seed.txt' order by doc_id"
        ).fetchall()
        assert parts == [(d, "9,579", "1,379", True) for d in ("page.html", "report.pdf", "statement.docx")]
        texts = dict(con.execute("select doc_id, text from documents").fetchall())
        for doc_id, start, end, mention in con.execute(
            "select doc_id, start_offset, end_offset, mention from metrics"
        ).fetchall():
            assert texts[doc_id][start:end] == mention
        paragraph = con.execute(
            "select doc_id, page_number from metrics where mention = '458名' and block_kind = 'paragraph' "
            "order by doc_id"
        ).fetchall()
        assert paragraph == [("page.html", None), ("report.pdf", 1), ("statement.docx", None)]
    page = "".join(p.read_text(encoding="utf-8") for p in pages_folder(tmp_path / "explorer.html").glob("*.html"))
    assert 'data-row-label="刑事案件"' in page and 'data-column-heading="同比(%)"' in page
