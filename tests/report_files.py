"""Report files of every published format, built by the tests themselves (no binary fixture is committed).

PDFs are drawn with reportlab in its built-in CJK font `STSong-Light` (no font file needed), Word files with
python-docx. Content is a list of items: a string is a paragraph, `("h", text)` a heading, a list of rows a table
(first row(s) headings), `PAGE_BREAK` a new page. Tables may give merged heading cells as `spans`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PAGE_BREAK = "\f"


@dataclass
class Table:
    """A table: `rows` of cell texts (a merged cell's text in its first position, "" in the others) and the
    merges as (row, first column, last column) for cells merged across columns, (first row, last row, column) in
    `vspans` for cells merged down rows."""

    rows: list[list[str]]
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    vspans: list[tuple[int, int, int]] = field(default_factory=list)


Item = str | tuple[str, str] | Table


def write_pdf(
    path: Path, items: list[Item], *, encrypt: str | None = None, page_numbers: bool = False, cjk_wrap: bool = True
) -> Path:
    """A PDF with a text layer: paragraphs, headings and ruled tables (grid lines) in `STSong-Light`; with
    `page_numbers`, each page has `- N -` centred at its foot; without `cjk_wrap`, lines break at spaces as in Latin
    text (reportlab's default), which can leave a lone `。` on a line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    wrap = "CJK" if cjk_wrap else None
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=17, wordWrap=wrap)
    heading = ParagraphStyle("heading", fontName="STSong-Light", fontSize=15, leading=22, wordWrap=wrap)
    story: list[object] = []
    for item in items:
        if item == PAGE_BREAK:
            story.append(PageBreak())
        elif isinstance(item, str):
            story.append(Paragraph(item, body))
        elif isinstance(item, tuple):
            story.append(Paragraph(item[1], heading))
        else:
            style = [("FONT", (0, 0), (-1, -1), "STSong-Light", 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
            style += [("SPAN", (c0, r), (c1, r)) for r, c0, c1 in item.spans]
            style += [("SPAN", (c, r0), (c, r1)) for r0, r1, c in item.vspans]
            story.append(PdfTable(item.rows, style=style))
            story.append(Spacer(1, 8))
    kwargs = {"encrypt": encrypt} if encrypt else {}

    def number(canvas: object, doc: object) -> None:
        if page_numbers:
            canvas.setFont("STSong-Light", 9)  # type: ignore[attr-defined]
            canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]

    SimpleDocTemplate(str(path), pagesize=A4, **kwargs).build(story, onFirstPage=number, onLaterPages=number)
    return path


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF like a scan: pages with drawn shapes and no text layer."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return path


def write_docx(path: Path, items: list[Item]) -> Path:
    """A Word document: headings (Heading 1), paragraphs and tables with merged cells."""
    import docx

    document = docx.Document()
    for item in items:
        if item == PAGE_BREAK:
            document.add_page_break()
        elif isinstance(item, str):
            document.add_paragraph(item)
        elif isinstance(item, tuple):
            document.add_heading(item[1], level=1)
        else:
            table = document.add_table(rows=len(item.rows), cols=len(item.rows[0]))
            for r, row in enumerate(item.rows):
                for c, text in enumerate(row):
                    if text:
                        table.cell(r, c).text = text
            for r, c0, c1 in item.spans:
                table.cell(r, c0).merge(table.cell(r, c1))
            for r0, r1, c in item.vspans:
                table.cell(r0, c).merge(table.cell(r1, c))
    document.save(str(path))
    return path


def html_page(items: list[Item], title: str = "工作报告") -> str:
    """A saved web page: navigation, the items as the article (tables with `<th>` heading rows), a footer."""
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"]
    parts.append("<nav><a href='/'>首页</a> | <a href='/news'>新闻中心</a></nav><div class='article'>")
    for item in items:
        if isinstance(item, str):
            if item != PAGE_BREAK:
                parts.append(f"<p>{item}</p>")
        elif isinstance(item, tuple):
            parts.append(f"<h2>{item[1]}</h2>")
        else:
            heads = 1 + max((r for r, _, _ in item.spans), default=0)
            covered = {(r, c) for r, c0, c1 in item.spans for c in range(c0 + 1, c1 + 1)}
            covered |= {(r, c) for r0, r1, c in item.vspans for r in range(r0 + 1, r1 + 1)}
            rows = []
            for r, row in enumerate(item.rows):
                tag = "th" if r < heads else "td"
                cells = []
                for c, text in enumerate(row):
                    if (r, c) in covered:
                        continue
                    span = next((c1 - c0 + 1 for rr, c0, c1 in item.spans if rr == r and c0 == c), 1)
                    vspan = next((r1 - r0 + 1 for r0, r1, cc in item.vspans if r0 == r and cc == c), 1)
                    attrs = (f" colspan='{span}'" if span > 1 else "") + (f" rowspan='{vspan}'" if vspan > 1 else "")
                    cells.append(f"<{tag}{attrs}>{text}</{tag}>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("<table>" + "".join(rows) + "</table>")
    parts.append("</div><footer>版权所有 湘ICP备12003456号-1 访问量：123456次</footer></body></html>")
    return "".join(parts)
