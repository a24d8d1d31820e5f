"""Tables flattened into report text: pipe tables and whitespace-aligned columns.

Reports copied from PDF or web pages keep their statistics tables as lines of cells::

    | 庭室 | 收案数(件) | 结案率(%) | 同比(%) |        庭室    收案数(件)    结案率
    |---|---|---|---|                              甲庭    120           83.3%
    | 甲庭 | 120 | 83.3 | -5.2 |                   乙庭    95            94.7%

:func:`find_tables` finds such blocks and returns their cells as spans of the text; it knows nothing of
units or metrics (see ``transforms.extract`` for how cells become metrics).  A block is a table when a
heading line is followed by at least two rows with the same number of cells (two or more), every row opens
with a label and every other cell is a number (``120``, ``1,234``, ``-5.2``, ``83.3%``, ``1.2万``) or empty
(``-``, ``—``).  Prose never has that shape, so nothing else is read as a table.  Offsets are character
offsets into the text given; the text is never changed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from transforms.lexicon import table_words

#: A cell that holds one number: an optional sign, the number, an optional scale and a short unit or %.
VALUE_RE = re.compile(
    r"""
    (?P<sign>[+\-−－])?
    (?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)
    (?P<unit>[^\s0-9|｜]{0,4})
    """,
    re.VERBOSE,
)
_EMPTY_CELLS = table_words().empty_cells
_SEPARATOR_RE = re.compile(r"[:：]?[-—－=]{2,}[:：]?")  # |---|:---:| under a pipe table's heading
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}(?:年度?)?")
_UNIT_LINE_RE = re.compile(r"单位\s*[:：]\s*(?P<unit>[^\s，,。；;)）]{1,6})")
_PIPES = "|｜"
_BLANK_RUN_RE = re.compile(r"[^ \t\u3000\u00a0]+")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: ``text[start:end] == text`` with blanks around it left out."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A heading row, its data rows (same number of cells, first cell the row's label) and the unit named
    in a ``单位：件`` line just above the heading ("" when there is none).  ``start``/``end`` span the
    heading through the last row."""

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    unit: str
    start: int
    end: int
    label: int = 0  # the column of the row labels: 1 after an index column (序号)


def is_value(cell: str) -> bool:
    """True for a cell that holds one number (``120``, ``-5.2``, ``83.3%``, ``1.2万``, ``120件``)."""
    return VALUE_RE.fullmatch(cell) is not None and not _YEAR_RE.fullmatch(cell)


def _cells(text: str, a: int, b: int) -> tuple[list[Cell], bool]:
    """The cells of the line ``text[a:b]`` and whether they were split at pipes."""
    line = text[a:b]
    if any(p in line for p in _PIPES):
        cells = []
        k0 = a
        for k in range(a, b + 1):
            if k == b or text[k] in _PIPES:
                raw = text[k0:k]
                lead = len(raw) - len(raw.lstrip())
                body = raw.strip()
                cells.append(Cell(k0 + lead, k0 + lead + len(body), body))
                k0 = k + 1
        if cells and not cells[0].text:
            cells = cells[1:]  # | a | b |: nothing before the first pipe
        if cells and not cells[-1].text:
            cells = cells[:-1]
        return cells, True
    return [Cell(a + m.start(), a + m.end(), m.group()) for m in _BLANK_RUN_RE.finditer(line)], False


_INDEX_HEADINGS = table_words().row_number_headings  # compared in lower case
_INDEX_RE = re.compile(r"[0-9]{1,3}")


def _is_row(cells: list[Cell], label: int = 0) -> bool:
    """A label (after an index number when ``label`` is 1), then numbers or empty cells, at least one number."""
    if len(cells) < label + 2 or is_value(cells[label].text) or cells[label].text in _EMPTY_CELLS:
        return False
    if label and not _INDEX_RE.fullmatch(cells[0].text):
        return False
    rest = [c.text for c in cells[label + 1 :]]
    return all(is_value(t) or t in _EMPTY_CELLS for t in rest) and any(is_value(t) for t in rest)


def _is_header(cells: list[Cell]) -> bool:
    return len(cells) >= 1 and not any(is_value(c.text) for c in cells)


#: A number standing alone after a blank or a pipe: every table row has one, most prose lines none.
_ROW_HINT_RE = re.compile(r"[ \t\u3000\u00a0|｜][+\-−－]?[0-9]")


_LINE_BREAK_RE = re.compile("\n")


def find_tables(text: str) -> list[Table]:
    """Every table in ``text``, in order.  Linear in the length of the text."""
    hints = list(map(re.Match.start, _ROW_HINT_RE.finditer(text)))
    if not hints:
        return []  # no line holds a number standing alone: prose
    # (start, end) of each line, built from the line breaks' offsets without a Python step per line
    breaks = list(map(re.Match.start, _LINE_BREAK_RE.finditer(text)))
    lines = list(zip([0, *(b + 1 for b in breaks)], [*breaks, len(text)], strict=True))
    # lines that may be rows; a heading is looked for only just above one (the cheap test keeps prose fast)
    hinted = {bisect_right(lines, (h, len(text) + 1)) - 1 for h in hints}
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if i + 1 not in hinted and i + 2 not in hinted:
            i += 1
            continue
        header, piped = _cells(text, *lines[i])
        if not _is_header(header):
            i += 1
            continue
        j = i + 1
        if piped and j < len(lines):
            sep, _ = _cells(text, *lines[j])
            if sep and all(_SEPARATOR_RE.fullmatch(c.text) for c in sep):
                j += 1
        label = 1 if header[0].text.lower() in _INDEX_HEADINGS and len(header) >= 3 else 0
        if not piped and j < len(lines):
            first, _ = _cells(text, *lines[j])
            if len(first) == len(header) + 1 and _is_row(first):
                header = [Cell(header[0].start, header[0].start, ""), *header]  # no heading over the labels
        rows: list[tuple[Cell, ...]] = []
        while j < len(lines):
            cells, p = _cells(text, *lines[j])
            if p != piped or len(cells) != len(header) or not _is_row(cells, label):
                break
            rows.append(tuple(cells))
            j += 1
        if len(rows) >= 2 or (piped and rows):
            unit = ""
            if i and (um := _UNIT_LINE_RE.search(text, *lines[i - 1])):
                unit = um.group("unit")
            tables.append(Table(tuple(header), tuple(rows), unit, header[0].start, rows[-1][-1].end, label))
            i = j
        else:
            i += 1
    return tables
