"""PDF files with a text layer: pages of running text and ruled tables, as layout blocks.

Libraries measured by `bench/bench_pdf.py` (one core) on 1,000 generated pages of Chinese report text (reportlab,
`STSong-Light`, paragraphs on every page, a ruled table on every fifth) and, for CJK correctness, on PDFs of the
seed reports (7,006 characters, compared with the source text):

| library | pages/s, text only | characters missing | tables | line and character boxes |
|---|---|---|---|---|
| pypdfium2 (PDFium) | ~690 | 0 | no | yes |
| pdfminer.six | ~44 | 3 (the middle dot `·`) | no | yes |
| pdfplumber (on pdfminer.six) | ~40 (~16 with its table finder on every page) | 3 (`·`) | ruled tables | yes |

The text layer is read with **pypdfium2**: it is 15 times faster than the pdfminer-based readers and was the only one
to return every character. Each line's box (the loose box of its first and last character) is what joins the lines
of a wrapped paragraph back together (a figure broken across two lines, `60` / `00余件次`, would otherwise become two
numbers) and what places tables. Tables are found by **pdfplumber**, the one of the three that finds them, and only
on pages that draw paths (a ruled table needs lines), so a page of text pays nothing for it: the reader as a whole
does ~67 pages/s on the benchmark corpus, where every fifth page has a table. Pages are read and released one at a
time (PDFium's and pdfplumber's), so a large file within the size limit holds one page's objects at a time.

Not read: scanned pages (no text layer; OCR is out of scope), tables drawn without ruling lines (their rows come out
as lines of running text), and multi-column pages (read line by line across the columns).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.utils.exceptions import PdfminerException

from transforms.formats.blocks import Block
from transforms.formats.errors import FormatError

# A line whose end is within this many font sizes of the page's right text edge, and that does not end a sentence,
# wraps on to the next line (it is part of the same paragraph).
_WRAP_SLACK = 1.5
# A next line indented more than this many font sizes starts a new paragraph.
_INDENT = 0.8
# A page number printed at the top or bottom of a page (`- 3 -`, `第 2 页`, `第2页 共10页`, `3/10`): not report text,
# and dropped so that a paragraph running on to the next page is joined across it.
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?|[ivxlcIVXLC]+)[-—–\s]*$"
)
# Glyphs pdfminer cannot map to characters come out as `(cid:1234)`; a text layer mostly made of them is unreadable.
_CID = re.compile(r"\(cid:\d+\)")
_MAX_UNMAPPED_SHARE = 0.3
_FIRST_WORD = re.compile(r"[!-~]+[^\s!-~]?")
_SENTENCE_END = ("。", "！", "？", "；", "：", "!", "?", ";", ":", "…", "”", "』", "」")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 1.0)


def _join(a: str, b: str) -> str:
    """Two wrapped lines of one paragraph: Chinese joins without a space, Latin words with one."""
    return a + " " + b if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalpha() else a + b


def _first_word_width(line: _Line) -> float:
    """The width the next line's first unbreakable piece needs: one CJK character (a line may break after any),
    or a run of Latin letters and digits with the character after it (`402项`); a CJK character is one font size
    wide, others about half."""
    m = _FIRST_WORD.match(line.text)
    word = m.group(0) if m else line.text[:1]
    return sum(line.size if ord(ch) > 0x2E80 else line.size * 0.55 for ch in word)


def _wraps(line: _Line, nxt: _Line | None, left_edge: float, right_edge: float) -> bool:
    """True when `line` continues on `nxt`: it runs to the right edge (or the next line's first word would not have
    fitted after it), does not end a sentence, and the next line is not indented."""
    if nxt is None or line.text.endswith(_SENTENCE_END) or nxt.left > left_edge + _INDENT * nxt.size:
        return False
    if nxt.top - line.bottom > 1.5 * line.size:  # a blank line between them
        return False
    return line.right >= right_edge - _WRAP_SLACK * line.size or (
        line.right + 0.3 * line.size + _first_word_width(nxt) > right_edge
    )


def _paragraphs(lines: list[_Line], left_edge: float, right_edge: float) -> Iterator[tuple[str, bool]]:
    """(paragraph, runs on) from a run of lines; `runs on` when its last line wraps to the right edge unfinished."""
    current = ""
    for i, line in enumerate(lines):
        current = _join(current, line.text) if current else line.text
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if not _wraps(line, nxt, left_edge, right_edge):
            runs_on = nxt is None and not line.text.endswith(_SENTENCE_END) and line.right >= right_edge - line.size
            yield current, runs_on
            current = ""


def _inside(line: _Line, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    mid = (line.top + line.bottom) / 2
    return top - 1 <= mid <= bottom + 1 and line.left >= x0 - 1 and line.right <= x1 + 1


Bbox = tuple[float, float, float, float]


def _text_lines(textpage: pdfium.PdfTextPage, height: float) -> list[_Line]:
    """The text lines of a page as PDFium reads them, each with its box from the top left (as pdfplumber's)."""
    text = textpage.get_text_range()
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\r\n"):
        start, pos = pos, pos + len(raw) + 2  # PDFium counts the generated line break as two characters
        stripped = raw.strip()
        if not stripped:
            continue
        first = start + len(raw) - len(raw.lstrip())
        last = start + len(raw.rstrip()) - 1
        left, bottom, _, top = textpage.get_charbox(first, loose=True)
        _, last_bottom, right, last_top = textpage.get_charbox(last, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(textpage, last) or (last_top - last_bottom)
        top_edge = height - max(top, last_top, min(bottom, last_bottom) + size)
        lines.append(_Line(stripped, left, right, top_edge, top_edge + max(size, 1.0)))
    while lines and _PAGE_NUMBER.match(lines[-1].text):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0].text):
        lines.pop(0)
    return lines


def _draws_lines(page: pdfium.PdfPage) -> bool:
    """True when the page draws paths (rules, boxes): only then can it hold a ruled table."""
    return next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]), None) is not None


class _Tables:
    """Ruled tables found by pdfplumber, opened on the document's first page that draws lines (most pages of a
    report draw none, and pay nothing for it)."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._pdf: pdfplumber.PDF | None = None
        self._unreadable = False

    def on_page(self, index: int) -> list[tuple[Bbox, list[list[str]]]]:
        """(bbox as x0, top, x1, bottom from the top left, rows) of each ruled table of page `index`.

        A file or page that pdfplumber cannot parse (where PDFium could) has no tables: its text is still read, and
        its table rows stay lines of running text.
        """
        if self._unreadable:
            return []
        try:
            if self._pdf is None:
                self._pdf = pdfplumber.open(io.BytesIO(self._raw))
            page = self._pdf.pages[index]
        except Exception as exc:  # pdfminer's many parse errors: the file's fault, and the text is read anyway
            if not _is_parse_error(exc):
                raise
            self._unreadable = True
            return []
        try:
            found = []
            for table in page.find_tables():
                rows = [[cell or "" for cell in row] for row in table.extract()]
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    found.append((table.bbox, rows))
            return found
        except Exception as exc:
            if not _is_parse_error(exc):
                raise
            return []
        finally:
            page.close()  # drop the page's parsed objects before the next page

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _page_blocks(
    lines: list[_Line], tables: list[tuple[Bbox, list[list[str]]]], page: int, runs_on: bool
) -> tuple[list[Block], bool]:
    """One page's blocks: runs of lines outside tables become paragraphs, each table sits where its first line was.

    `runs_on` says the previous page ended inside a paragraph; the page's first paragraph then continues it (unless
    indented). Returns the blocks and whether this page ends inside a paragraph.
    """
    out: list[Block] = []
    run: list[_Line] = []
    placed: set[int] = set()
    text_lines = [ln for ln in lines if not any(_inside(ln, bbox) for bbox, _ in tables)]
    left_edge = min((ln.left for ln in text_lines), default=0.0)
    right_edge = max((ln.right for ln in text_lines), default=0.0)
    ends_open = False

    def flush() -> None:
        nonlocal ends_open
        for text, open_end in _paragraphs(run, left_edge, right_edge):
            continues = runs_on and not out and run[0].left <= left_edge + _INDENT * run[0].size
            out.append(Block("paragraph", text, page=page, continues=continues))
            ends_open = open_end
        run.clear()

    for line in lines:
        hit = next((i for i, (bbox, _) in enumerate(tables) if _inside(line, bbox)), None)
        if hit is None:
            run.append(line)
            continue
        if hit not in placed:
            flush()
            placed.add(hit)
            out.append(Block("table", rows=tuple(tuple(r) for r in tables[hit][1]), page=page))
            ends_open = False
    flush()
    for i, (_, rows) in enumerate(tables):
        if i not in placed:
            out.append(Block("table", rows=tuple(tuple(r) for r in rows), page=page))
            ends_open = False
    return out, ends_open


def _is_parse_error(exc: Exception) -> bool:
    """An error pdfminer or pdfplumber raise on a malformed file (they raise many kinds), not a bug here."""
    return isinstance(exc, (PdfminerException, ValueError, KeyError, TypeError, IndexError, AssertionError)) or (
        type(exc).__module__.split(".")[0] in ("pdfminer", "pdfplumber")
    )


def _open(raw: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise FormatError("encrypted", "PDF is encrypted with a password: it cannot be read") from None
        raise FormatError("damaged", f"PDF cannot be opened, the file is damaged or incomplete ({exc})") from None


def pdf_blocks(raw: bytes) -> list[Block]:
    """The blocks of a PDF page by page: paragraphs of running text and ruled tables, in reading order.

    Raises FormatError with check `encrypted` (a password is needed), `damaged` (cannot be parsed),
    `no_text_layer` (no page has any text: a scan) or `no_unicode_text` (glyphs without characters).
    """
    document = _open(raw)
    tables = _Tables(raw)
    blocks: list[Block] = []
    try:
        count = len(document)
        runs_on = False
        for index in range(count):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    lines = _text_lines(textpage, page.get_height())
                finally:
                    textpage.close()
                found = tables.on_page(index) if lines and _draws_lines(page) else []
            finally:
                page.close()
            page_blocks, runs_on = _page_blocks(lines, found, index + 1, runs_on)
            if page_blocks and page_blocks[0].kind == "table" and blocks and blocks[-1].kind == "table":
                page_blocks[0] = replace(page_blocks[0], continues=True)  # a table going on across the page break
            blocks.extend(page_blocks)
    except pdfium.PdfiumError as exc:
        raise FormatError("damaged", f"PDF is damaged ({exc})") from None
    finally:
        tables.close()
        document.close()
    if count == 0:
        raise FormatError("damaged", "PDF has no pages")
    if not blocks:
        raise FormatError(
            "no_text_layer", f"PDF has {count} page(s) and no text layer (a scan?); text in images is not recognised"
        )
    _check_unicode(blocks)
    return blocks


def _check_unicode(blocks: list[Block]) -> None:
    """Reject a text layer that is mostly glyphs without characters (`(cid:1234)`, U+FFFD, private-use code
    points): its fonts do not say which characters they draw."""
    texts = [b.text for b in blocks] + [cell for b in blocks for row in b.rows for cell in row]
    total = sum(len(t) for t in texts)
    unmapped = sum(len(m.group(0)) for t in texts for m in _CID.finditer(t))
    unmapped += sum(1 for t in texts for ch in t if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    if total and unmapped / total > _MAX_UNMAPPED_SHARE:
        raise FormatError(
            "no_unicode_text",
            f"{unmapped / total:.0%} of the PDF's text is glyph ids without characters (its fonts have no Unicode "
            "mapping); the text cannot be read",
        )
