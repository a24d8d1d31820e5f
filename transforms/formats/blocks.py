"""Blocks of a document's layout and the one canonical text built from them.

A reader (PDF, Word, web page, plain text) turns a file into a sequence of *blocks* in reading order: headings,
paragraphs and tables (a table is a grid of cell texts). :func:`compose` lays them out as one text — a heading or
paragraph is one line, a table is one line per row with its cells separated by a tab, pages are separated by a blank
line — and records where each block and each table cell sits in it. That text is the document's `text`: every
metric's `start`/`end` is an offset into it, so the running-text extractor and every rule built on offsets work on a
PDF or a Word file exactly as on a plain-text report.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "table")
CELL_SEPARATOR = "\t"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document in reading order.

    `kind` is one of :data:`BLOCK_KINDS`; `text` the text of a heading or paragraph (empty for a table); `rows` the
    cell texts of a table, one tuple per row, a merged cell repeated in every grid position it covers (so all rows
    have the same length); `header_rows` how many leading rows the source marks as headings (`<th>`, a repeated
    Word heading row), or None when the source does not say; `page` the 1-based page number (PDF), else None;
    `continues` marks a paragraph that goes on from the previous one across a page break (joined to it, no break),
    or a table that goes on from the previous block's table across a page break (without repeating its headings).
    """

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    page: int | None = None
    header_rows: int | None = None
    continues: bool = False


@dataclass(frozen=True, slots=True)
class PlacedCell:
    """One cell of a placed table: its grid position and the span of its text in the canonical text
    (`start == end` for an empty cell)."""

    row: int
    column: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PlacedTable:
    """A table laid out in the canonical text: `index` counts the document's tables from 0, `rows` are its cells
    (one tuple per row, all of the same length), `start`/`end` the span of its lines, `caption` the text of the
    block just before it (often `单位：万元` or the table's title), `page` its page (PDF) or None; `continues` the
    index of the table it goes on from across a page break (same number of columns), else None."""

    index: int
    rows: tuple[tuple[PlacedCell, ...], ...]
    start: int
    end: int
    caption: str
    page: int | None
    header_rows: int | None = None
    continues: int | None = None


@dataclass(frozen=True, slots=True)
class BlockSpan:
    """Where one heading, paragraph or table block sits in the canonical text."""

    kind: str
    start: int
    end: int
    page: int | None


@dataclass(frozen=True, slots=True)
class Layout:
    """The layout of one document: its blocks' spans in reading order and its tables with their cells.

    `page_starts[i]` is the offset where page i+1 begins (empty for formats without pages).
    """

    blocks: tuple[BlockSpan, ...] = ()
    tables: tuple[PlacedTable, ...] = ()
    page_starts: tuple[int, ...] = ()
    _block_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page number the character at `offset` is on, or None for a document without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, offset))

    def block_at(self, offset: int) -> BlockSpan | None:
        """The block that holds the character at `offset`, or None (between blocks)."""
        starts = self._block_starts or tuple(b.start for b in self.blocks)
        i = bisect_right(starts, offset) - 1
        if i >= 0 and self.blocks[i].start <= offset < max(self.blocks[i].end, self.blocks[i].start + 1):
            return self.blocks[i]
        return None


def _clean(text: str) -> str:
    """One line: inner line breaks and tabs become spaces (a cell or paragraph is one line of the canonical text)."""
    return " ".join(text.replace("\u00a0", " ").split()) if any(c in text for c in "\n\r\t\u00a0") else text.strip()


def compose(blocks: list[Block]) -> tuple[str, Layout]:
    """The canonical text of `blocks` and its layout (see the module docstring for how blocks are laid out).

    Empty paragraphs and tables without a non-empty cell are dropped; a table cell's text is kept as written
    (inner whitespace folded), so that `text[cell.start:cell.end] == cell.text`.
    """
    parts: list[str] = []
    pos = 0
    spans: list[BlockSpan] = []
    tables: list[PlacedTable] = []
    page_starts: list[int] = []
    current_page: int | None = None
    previous_text = ""

    def emit(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for block in blocks:
        joins = block.continues and block.kind == "paragraph" and bool(spans) and spans[-1].kind == "paragraph"
        if block.page is not None and block.page != current_page:
            if joins:
                pos -= 1  # the paragraph goes on across the page break: drop the line break before it
                parts[-1] = parts[-1][:-1]
            elif pos:
                emit("\n")  # a blank line between pages
            while len(page_starts) < block.page:
                page_starts.append(pos)
            current_page = block.page
        if block.kind == "table":
            grid = [[_clean(c) for c in row] for row in block.rows]
            if not any(c for row in grid for c in row):
                continue
            width = max(len(r) for r in grid)
            start = pos
            placed_rows = []
            for r, row in enumerate(grid):
                row = row + [""] * (width - len(row))
                cells = []
                for c, cell in enumerate(row):
                    if c:
                        emit(CELL_SEPARATOR)
                    cells.append(PlacedCell(r, c, cell, pos, pos + len(cell)))
                    emit(cell)
                emit("\n")
                placed_rows.append(tuple(cells))
            previous = tables[-1] if tables and spans and spans[-1].kind == "table" else None
            continues = previous.index if block.continues and previous and len(previous.rows[0]) == width else None
            table = PlacedTable(
                len(tables), tuple(placed_rows), start, pos - 1, previous_text, block.page, block.header_rows, continues
            )
            tables.append(table)
            spans.append(BlockSpan("table", start, pos - 1, block.page))
            previous_text = ""
        else:
            line = _clean(block.text)
            if not line:
                continue
            if joins and pos == spans[-1].end:
                last = spans.pop()
                spans.append(BlockSpan(last.kind, last.start, pos + len(line), last.page))
                emit(line)
                emit("\n")
                previous_text = line
                continue
            spans.append(BlockSpan(block.kind, pos, pos + len(line), block.page))
            emit(line)
            emit("\n")
            previous_text = line
    text = "".join(parts)
    layout = Layout(tuple(spans), tuple(tables), tuple(page_starts), tuple(s.start for s in spans))
    return text, layout
