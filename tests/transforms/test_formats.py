"""Reading PDF, Word and web-page reports into one canonical text with its layout; kinds decided by content."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from report_files import PAGE_BREAK, Table, html_page, write_docx, write_pdf, write_scanned_pdf

from transforms.analyse import analyse
from transforms.formats import Block, compose, sniff
from transforms.ingest import Document, Rejection, read_document

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# "All 458 political-legal officers of the district took part; 227 study sessions were held."
PARA_1 = "全区458名政法干警参加学习教育，共开展集中学习227场次。"
# "The courts accepted 13,790 cases of all kinds, up 12.5% year on year; the closure rate was 87.02%."
PARA_2 = "全区法院共受理各类案件13790件，同比上升12.5%，结案率87.02%。"
# A long paragraph that wraps on the page, so that a figure may be cut across two lines.
LONG = "为民办实事" + "，持续推进教育整顿各项工作落实落细" * 5 + "，共办理群众身边事6000余件次，化解矛盾纠纷1520件。"
# "Unit: cases" / item | 2022 (merged over two columns) / this period | year on year (%)
COURT_TABLE = Table(
    [
        ["项目", "2022年", ""],
        ["", "本期", "同比(%)"],
        ["刑事案件", "1,379", "12.5"],
        ["民事案件", "8,200", "-3.2"],
        ["合计", "9,579", "1.1"],
    ],
    spans=[(0, 1, 2)],
    vspans=[(0, 1, 0)],
)


def _doc(path: Path) -> Document:
    doc = read_document(path)
    assert isinstance(doc, Document), doc
    return doc


def _metrics(doc: Document) -> list[dict]:
    return [r.json() for r in analyse(doc.text, layout=doc.layout).records]


# Kind by content


@pytest.mark.parametrize(
    ("name", "raw", "kind"),
    [
        pytest.param("report.txt", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "pdf", id="ascii_pdf_named_txt"),
        pytest.param("page.txt", b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>x</p>", "html", id="bom_then_html"),
        pytest.param(
            "page.txt",
            b"<!-- saved from url=(0042)http://www.example.gov.cn/a.html -->\n<p>x</p>",
            "html",
            id="saved_from_comment",
        ),
        pytest.param("page", b"\n<?xml version='1.0'?>\n<!-- c -->\n<html><p>x</p></html>", "html", id="xml_decl"),
        pytest.param("page.txt", "<html><p>x</p></html>".encode("utf-16"), "html", id="utf16_html"),
        pytest.param("r.pdf", "全区458名政法干警。".encode(), "text", id="text_named_pdf"),
        pytest.param("a.txt", "比较 a<b 的情况".encode(), "text", id="text_with_angle_bracket"),
        pytest.param("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "doc", id="legacy_word"),
    ],
)
def test_kind_is_decided_by_content(name: str, raw: bytes, kind: str) -> None:
    assert sniff(Path(name), raw) == kind


def test_ascii_pdf_named_txt_is_read_as_pdf_not_text(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(tmp_path / "x.pdf"), pageCompression=0, invariant=1)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 720, PARA_1)
    pdf.save()
    # reportlab's binary marker comment becomes ASCII of the same length, so every byte of the file is ASCII
    raw = (tmp_path / "x.pdf").read_bytes().replace(b"%\x93\x8c\x8b\x9e", b"%ASCI", 1)
    assert raw.isascii()
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(raw)
    doc = _doc(disguised)
    assert doc.media_type == "application/pdf"
    assert doc.text == PARA_1 + "\n"


def test_saved_page_with_bom_and_no_html_name_is_a_web_page(tmp_path: Path) -> None:
    path = tmp_path / "saved_page"
    page = "<!-- saved from url=(0036)http://www.example.gov.cn/ -->\n" + html_page([PARA_1, PARA_2])
    path.write_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"))
    doc = _doc(path)
    assert doc.media_type == "text/html"
    assert PARA_1 in doc.text
    assert "123456" not in doc.text  # the footer's visit counter is no metric
    assert all(m["mention"] != "123456次" for m in _metrics(doc))


# PDF


def test_pdf_paragraphs_and_wrapped_lines_become_one_text(tmp_path: Path) -> None:
    doc = _doc(write_pdf(tmp_path / "r.pdf", [("h", "石峰区政法队伍教育整顿工作报告"), PARA_1, LONG]))
    assert doc.text == f"石峰区政法队伍教育整顿工作报告\n{PARA_1}\n{LONG}\n"
    found = {m["mention"]: m for m in _metrics(doc)}
    assert {"458名", "227场次", "6000余件次", "1520件"} <= set(found)
    m = found["6000余件次"]
    assert doc.text[m["start"] : m["end"]] == "6000余件次"
    assert (m["page_number"], m["block_kind"], m["row_label"]) == (1, "paragraph", None)


def test_two_page_pdf_records_the_page_of_each_metric(tmp_path: Path) -> None:
    doc = _doc(write_pdf(tmp_path / "r.pdf", [PARA_1, PAGE_BREAK, PARA_2]))
    assert doc.layout is not None and doc.layout.page_starts == (0, len(PARA_1) + 2)
    pages = {m["mention"]: m["page_number"] for m in _metrics(doc)}
    assert pages == {"458名": 1, "227场次": 1, "13790件": 2, "12.5%": 2, "87.02%": 2}


def test_pdf_table_cells_are_metrics_with_headings_unit_and_change(tmp_path: Path) -> None:
    items = [("h", "2022年石峰区法院审判执行情况"), "2023年1月10日", "单位：件", COURT_TABLE, PARA_1]
    doc = _doc(write_pdf(tmp_path / "r.pdf", items))
    assert "刑事案件\t1,379\t12.5\n" in doc.text
    rows = _metrics(doc)
    cells = [m for m in rows if m["block_kind"] == "table_cell"]
    got = [(m["mention"], m["value"], m["unit"], m["kind"], m["subject"], m["column_heading"]) for m in cells]
    assert got == [
        ("1,379", 1379, "件", "count", "刑事案件", "2022年 本期"),
        ("12.5", 12.5, "%", "change_pct", "刑事案件", "2022年 同比(%)"),
        ("8,200", 8200, "件", "count", "民事案件", "2022年 本期"),
        ("-3.2", -3.2, "%", "change_pct", "民事案件", "2022年 同比(%)"),
        ("9,579", 9579, "件", "count", "合计", "2022年 本期"),
        ("1.1", 1.1, "%", "change_pct", "合计", "2022年 同比(%)"),
    ]
    first = cells[0]
    assert doc.text[first["start"] : first["end"]] == "1,379"
    assert (first["page_number"], first["table_index"], first["table_row"], first["table_column"]) == (1, 0, 2, 1)
    assert (first["period_start"], first["period_end"], first["heading_period"]) == (
        "2022-01-01",
        "2022-12-31",
        "2022年",
    )
    assert rows[rows.index(cells[1])]["modifies"] == rows.index(cells[0])  # 同比 links to the row's value
    assert any(m["mention"] == "458名" and m["block_kind"] == "paragraph" for m in rows)


def test_pdf_of_the_seed_report_yields_the_metrics_of_its_text(tmp_path: Path) -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        pdf = write_pdf(
            tmp_path / f"{seed.stem}.pdf", [html.escape(ln.strip()) for ln in text.splitlines() if ln.strip()]
        )
        key = ("mention", "value", "unit", "kind", "subject")
        from_pdf = [tuple(m[k] for k in key) for m in _metrics(_doc(pdf))]
        from_text = [tuple(m[k] for k in key) for m in (r.json() for r in analyse(text).records)]
        assert from_pdf == from_text, seed.name
        assert len(from_pdf) >= 10


def test_scanned_pdf_is_rejected_for_no_text_layer(tmp_path: Path) -> None:
    result = read_document(write_scanned_pdf(tmp_path / "scan.pdf"))
    assert isinstance(result, Rejection)
    assert result.check == "no_text_layer"
    assert "2 page(s)" in result.reason and "\n" not in result.reason


def test_encrypted_pdf_is_rejected_with_its_reason(tmp_path: Path) -> None:
    result = read_document(write_pdf(tmp_path / "locked.pdf", [PARA_1], encrypt="secret"))
    assert isinstance(result, Rejection)
    assert (result.check, result.reason) == ("encrypted", "PDF is encrypted with a password: it cannot be read")


@pytest.mark.parametrize("keep", [0.3, 0.6], ids=["cut_at_30pc", "cut_at_60pc"])
def test_truncated_pdf_is_rejected_as_damaged(tmp_path: Path, keep: float) -> None:
    raw = write_pdf(tmp_path / "r.pdf", [PARA_1, PAGE_BREAK, PARA_2]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(raw[: int(len(raw) * keep)])
    result = read_document(path)
    assert isinstance(result, Rejection)
    assert result.check == "damaged"
    assert "\n" not in result.reason


def test_pdf_text_of_unmapped_glyphs_is_rejected() -> None:
    from transforms.formats.errors import FormatError
    from transforms.formats.pdf import _check_unicode

    _check_unicode([Block("paragraph", PARA_1 + "(cid:12)" + PARA_2)])  # a stray unmapped glyph is tolerated
    with pytest.raises(FormatError) as err:
        _check_unicode([Block("paragraph", "(cid:1201)(cid:3302)(cid:88)12")])
    assert err.value.check == "no_unicode_text"


def test_pdf_without_any_structure_is_rejected_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    result = read_document(path)
    assert isinstance(result, Rejection) and result.check == "damaged"


# Word


def test_docx_headings_paragraphs_and_merged_heading_table_in_reading_order(tmp_path: Path) -> None:
    items = [("h", "2022年法院工作报告"), PARA_1, "单位：件", COURT_TABLE, PARA_2]
    doc = _doc(write_docx(tmp_path / "r.docx", items))
    assert doc.media_type.endswith("wordprocessingml.document")
    assert doc.text.startswith(f"2022年法院工作报告\n{PARA_1}\n单位：件\n项目\t2022年\t2022年\n项目\t本期\t同比(%)\n")
    assert doc.text.endswith(f"合计\t9,579\t1.1\n{PARA_2}\n")
    assert doc.layout is not None
    assert [b.kind for b in doc.layout.blocks] == ["heading", "paragraph", "paragraph", "table", "paragraph"]
    rows = _metrics(doc)
    cells = [m for m in rows if m["block_kind"] == "table_cell"]
    assert [(m["mention"], m["subject"], m["row_label"], m["column_heading"]) for m in cells[:2]] == [
        ("1,379", "刑事案件", "刑事案件", "2022年 本期"),
        ("12.5", "刑事案件", "刑事案件", "2022年 同比(%)"),
    ]
    assert all(m["page_number"] is None for m in rows)
    assert [m["mention"] for m in rows if m["block_kind"] == "paragraph"] == [
        "458名",
        "227场次",
        "13790件",
        "12.5%",
        "87.02%",
    ]


def test_damaged_docx_is_rejected(tmp_path: Path) -> None:
    raw = write_docx(tmp_path / "r.docx", [PARA_1]).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(raw[: len(raw) // 2])
    result = read_document(path)
    assert isinstance(result, Rejection)
    assert result.check == "damaged"
    assert "\n" not in result.reason


# Web page


def test_html_table_cells_are_metrics_and_running_text_stays(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(html_page([PARA_1, "单位：件", COURT_TABLE, "注：数据来源于审判管理系统。"]), encoding="utf-8")
    doc = _doc(path)
    assert doc.media_type == "text/html"
    assert "刑事案件\t1,379\t12.5" in doc.text and "ICP" not in doc.text
    rows = _metrics(doc)
    cells = [m for m in rows if m["block_kind"] == "table_cell"]
    assert [(m["mention"], m["unit"], m["kind"], m["subject"]) for m in cells] == [
        ("1,379", "件", "count", "刑事案件"),
        ("12.5", "%", "change_pct", "刑事案件"),
        ("8,200", "件", "count", "民事案件"),
        ("-3.2", "%", "change_pct", "民事案件"),
        ("9,579", "件", "count", "合计"),
        ("1.1", "%", "change_pct", "合计"),
    ]
    assert [m["mention"] for m in rows if m["block_kind"] == "paragraph"] == ["458名", "227场次"]


# Canonical text


def test_compose_keeps_cell_offsets_into_the_text() -> None:
    blocks = [
        Block("heading", "标题", page=1),
        Block("table", rows=(("项目", "数量"), ("案件\n数", " 12件 ")), page=1),
        Block("paragraph", "第二页", page=2),
    ]
    text, layout = compose(blocks)
    assert text == "标题\n项目\t数量\n案件 数\t12件\n\n第二页\n"
    cell = layout.tables[0].rows[1][1]
    assert text[cell.start : cell.end] == cell.text == "12件"
    assert layout.page_at(cell.start) == 1 and layout.page_at(text.index("第二页")) == 2
    assert layout.block_at(cell.start).kind == "table"  # type: ignore[union-attr]
    assert layout.tables[0].caption == "标题"


def test_explorer_mark_carries_a_table_metric_with_its_row_and_column_headings() -> None:
    from warehouse.explorer_page import mark_attributes

    metric = {"metric_id": "m", "block_kind": "table_cell", "page_number": 2}
    metric |= {"row_label": "刑事案件", "column_heading": "2022年 同比(%)", "heading_period": "2022年"}
    attrs = mark_attributes(metric)
    assert attrs["data-row-label"] == "刑事案件"
    assert attrs["data-column-heading"] == "2022年 同比(%)"
    assert (attrs["data-page"], attrs["data-block"], attrs["data-heading-period"]) == ("2", "table_cell", "2022年")
    assert mark_attributes({"metric_id": "p"})["data-row-label"] == ""  # a running-text metric has none


@pytest.mark.slow
def test_pdf_is_read_page_by_page_so_memory_does_not_grow_with_its_length(tmp_path: Path) -> None:
    import tracemalloc

    def peak(pages: int) -> int:
        items: list = []
        for i in range(pages):
            items += [PAGE_BREAK] if i else []
            items += [LONG, PARA_1, PARA_2, COURT_TABLE]
        path = write_pdf(tmp_path / f"p{pages}.pdf", items)
        tracemalloc.start()
        try:
            doc = read_document(path)
            assert isinstance(doc, Document) and doc.layout is not None
            assert len(doc.layout.page_starts) == pages
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(1)  # imports and caches of the first read are not the document's
    short, long = peak(10), peak(40)
    assert long < 2 * short, (short, long)  # four times the pages, not four times the memory (the text itself grows)


def test_prose_in_a_data_table_keeps_its_running_text_metrics(tmp_path: Path) -> None:
    # item | cases | remarks ("of which 15 minors")
    table = Table([["项目", "件数", "备注"], ["刑事案件", "1379", "其中涉及未成年人15名"], ["民事案件", "8200", ""]])
    path = tmp_path / "page.html"
    path.write_text(html_page([PARA_1, table]), encoding="utf-8")
    rows = _metrics(_doc(path))
    got = [(m["mention"], m["block_kind"], m["table_row"], m["table_column"], m["row_label"]) for m in rows]
    assert got == [
        ("458名", "paragraph", None, None, None),
        ("227场次", "paragraph", None, None, None),
        ("1379", "table_cell", 1, 1, "刑事案件"),
        ("15名", "table_cell", 1, 2, None),
        ("8200", "table_cell", 2, 1, "民事案件"),
    ]


def test_paragraph_running_on_to_the_next_page_is_joined_across_the_page_number(tmp_path: Path) -> None:
    # enough paragraphs to fill page 1, then a long one that must break across the page
    filler = [PARA_1] * 38
    doc = _doc(write_pdf(tmp_path / "r.pdf", [*filler, LONG, PARA_2], page_numbers=True))
    assert doc.layout is not None and len(doc.layout.page_starts) == 2
    assert f"\n{LONG}\n" in doc.text  # one paragraph, although it is on two pages
    start = doc.text.index(LONG)
    assert start < doc.layout.page_starts[1] < start + len(LONG)
    assert "- 1 -" not in doc.text and "- 2 -" not in doc.text
    page_of = {m["mention"]: m["page_number"] for m in _metrics(doc)}
    assert page_of["13790件"] == 2


def test_legacy_office_and_other_zip_files_are_rejected_as_unsupported(tmp_path: Path) -> None:
    import zipfile

    xlsx = tmp_path / "table.xlsx"
    with zipfile.ZipFile(xlsx, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    for path, says in ((xlsx, "ZIP archive"), (doc, "legacy Office")):
        result = read_document(path)
        assert isinstance(result, Rejection)
        assert result.check == "unsupported_format" and says in result.reason


def test_tables_that_pdfplumber_cannot_parse_leave_the_text(tmp_path: Path) -> None:
    from transforms.formats.pdf import _Tables

    tables = _Tables(b"%PDF-1.4\nnot a parsable body\n")
    assert tables.on_page(0) == [] and tables.on_page(1) == []  # no tables, no error: the text is read by PDFium
    tables.close()


def test_one_column_layout_table_of_a_web_page_is_read_as_paragraphs() -> None:
    from lxml import etree

    from transforms.formats.html import _walk

    xml = "<main><table><row><cell>第一段。</cell></row><row><cell>第二段。</cell></row></table></main>"
    blocks: list[Block] = []
    _walk(etree.fromstring(xml), blocks)
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", "第一段。"), ("paragraph", "第二段。")]


def test_docx_that_unpacks_beyond_the_limit_is_not_parsed(tmp_path: Path) -> None:
    from transforms.formats.docx import docx_blocks
    from transforms.formats.errors import FormatError

    raw = write_docx(tmp_path / "r.docx", [PARA_1] * 50).read_bytes()
    assert docx_blocks(raw)  # read whole under the default limit
    with pytest.raises(FormatError) as err:
        docx_blocks(raw, max_xml_bytes=len(raw))  # its XML unpacks to more than the file's own size
    assert err.value.check == "too_large"


def test_pdf_table_with_units_in_its_headings(tmp_path: Path) -> None:
    # court | cases accepted (cases) | y/y (%) | amount enforced (10k yuan)
    table = Table(
        [
            ["法院", "受理案件（件）", "同比(%)", "执行到位金额（万元）"],
            ["石峰区法院", "1,379", "12.5", "356.5"],
            ["全市", "13,790", "-2.1", "4,820"],
        ]
    )
    doc = _doc(write_pdf(tmp_path / "r.pdf", ["2023年1月10日", table]))
    cells = [m for m in _metrics(doc) if m["block_kind"] == "table_cell"]
    assert [
        (m["mention"], m["value"], m["unit"], m["kind"], m["subject"], m["modifies"] is not None) for m in cells
    ] == [
        ("1,379", 1379, "件", "count", "石峰区法院受理案件", False),
        ("12.5", 12.5, "%", "change_pct", "石峰区法院受理案件", True),
        ("356.5", 3565000, "元", "amount", "石峰区法院执行到位金额", False),
        ("13,790", 13790, "件", "count", "全市受理案件", False),
        ("-2.1", -2.1, "%", "change_pct", "全市受理案件", True),
        ("4,820", 48200000, "元", "amount", "全市执行到位金额", False),
    ]
    assert all(doc.text[m["start"] : m["end"]] == m["mention"] for m in cells)
    assert {m["column_heading"] for m in cells} == {"受理案件（件）", "同比(%)", "执行到位金额（万元）"}


def test_pdf_table_going_on_across_a_page_break_keeps_its_headings_and_unit(tmp_path: Path) -> None:
    # a long table (court | cases (件) | y/y (%)) that breaks onto the next page without repeating its headings
    rows = [["法院", "收案数（件）", "同比(%)"]] + [[f"第{i}法庭", str(1000 + i), "1.5"] for i in range(1, 61)]
    doc = _doc(write_pdf(tmp_path / "r.pdf", [PARA_1] * 10 + [Table(rows)]))
    assert doc.layout is not None and len(doc.layout.tables) == 2
    assert doc.layout.tables[1].continues == 0
    cells = [m for m in _metrics(doc) if m["block_kind"] == "table_cell"]
    assert len(cells) == 120
    on_page_2 = [m for m in cells if m["page_number"] == 2]
    assert on_page_2 and all(m["column_heading"] in ("收案数（件）", "同比(%)") for m in on_page_2)
    assert {(m["unit"], m["kind"]) for m in on_page_2} == {("件", "count"), ("%", "change_pct")}
    assert all(m["subject"].startswith("第") and m["subject"].endswith("法庭") for m in on_page_2)
