"""Tables as metrics: every figure in a data table becomes a metric with its row label and column heading.

Input is one table laid out in the canonical text (:class:`transforms.formats.PlacedTable`); output is one
:class:`TableMetric` per numeric cell of the table's body, whose span is the figure inside the cell
(`text[start:end] == mention`). How a table is read (rules of thumb of Chinese statistical tables):

* **Header rows** are the leading rows without a figure (a `2022年` or `1-9月` heading is no figure), or the rows
  the source marks as headings (`<th>`, Word's repeated heading rows). An empty heading cell continues the cell to
  its left (a heading merged over columns) or, in the label column, the one above it (merged over rows).
* **Label columns** are the leading columns whose body cells are mostly not figures; a row-number column (`序号`, or
  1, 2, 3 … down the column) is neither label nor metric, nor are columns of dates, years, phone numbers and codes
  (`成立时间`, `联系电话`, `编号`). Rows that are notes (`注：`, `数据来源`, one cell across the whole row) are
  skipped. A figure may carry a sign or an arrow (`-3.2`, `↓3.2`).
* **Unit** from the cell (`12.5%`, `1379件`), else (a change column) its heading or `%`, else the row label
  (`受理案件（件）`), the column heading (`(%)`, `（万元）`) or the table's `单位：万元` (in the block before the table,
  or a heading); a rate (`结案率`) with no unit anywhere is a percentage. A `排名` column gives ranks.
* **Kind** from the heading: a change word (`同比`, `增长`, `增减`, `比上年`, `增幅` …) makes a `change_pct` (a
  percentage when no other unit is given) linked to the row's value before it in the same table; otherwise the kind
  the running-text extractor gives the same figure and unit (`1379件` → count, `1234.5万元` → amount).
* **Subject** is the row label; when the value columns measure different things (`收案数`, `结案数`, `结案率`), the
  column heading without its period and unit is appended (`刑事案件收案数`). Totals rows (`合计`, `全市`) are
  metrics with their own subject, built the same way.
* **Period** from the heading: a year (`2022年`), months (`1-9月`, `2022年1-6月`), or `本期` / `去年同期` read
  against the document's date (the year of publication and the one before).

Values and units are read by the running-text extractor on the cell's figure and unit (so `万元` scales the same
way in a table as in a sentence); numerals are parsed by `transforms.numbers`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from transforms.extract import Metric, extract_metrics, simplify
from transforms.formats.blocks import PlacedCell, PlacedTable
from transforms.lexicon import load_lexicon, table_words
from transforms.numbers import normalize, parse_number

_UNITS = load_lexicon().units
# A figure alone in a cell: optional sign, an Arabic numeral (thousands grouped by commas), an optional unit.
_FIGURE = re.compile(
    r"""^\s*(?P<figure>
        (?P<sign>[-+−－↑↓▲▼])?\s*
        (?P<number>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        \s*(?P<unit>[%％‰]|[万亿千]?[^\d\s.,，%％]{1,3})?
    )\s*$""",
    re.VERBOSE,
)
_YEAR_HEADING = re.compile(r"^(?:19|20)\d\d\s*年?度?$")
_WORDS = table_words()
_EMPTY_MARKS = _WORDS.empty_cells
_ROW_NUMBER_HEADINGS = _WORDS.row_number_headings
_NOTE_ROW = re.compile(r"^\s*(?:注|备注|说明|附注|数据来源|资料来源|来源)\s*[:：\d一二三、.]")
_TABLE_UNIT = re.compile(r"单位\s*[:：]\s*(?P<unit>[^\s,，;；)）、]+)")
_HEADING_UNIT = re.compile(r"[(（]\s*(?P<unit>[^()（）]{1,6}?)\s*[)）]")
_CHANGE_WORDS = _WORDS.change_heading
# Periods in a heading: 2022年1-9月, 2022年, 1-9月, 9月; 本期 and 去年同期 against the document date.
_YEAR_MONTHS = re.compile(
    r"(?P<year>(?:19|20)\d\d)\s*年?(?:度)?\s*(?:(?P<m1>\d{1,2})\s*[-—–~至]\s*(?P<m2>\d{1,2})\s*月(?:份)?|(?P<m>\d{1,2})\s*月(?:份)?)?"
)
_MONTHS = re.compile(r"(?P<m1>\d{1,2})\s*[-—–~至]\s*(?P<m2>\d{1,2})\s*月(?:份)?|(?P<m>\d{1,2})\s*月(?:份)?")
_NOT_A_MEASURE = _WORDS.not_a_measure_heading  # columns of dates, phone numbers, codes: not metrics
# A totals row: its figures are the sums of the other rows' (合计, 总计, 全市 over the districts).
_TOTAL_LABEL = re.compile(r"^\s*(?:合\s*计|总\s*计|总\s*数|全市|全省|全区|全县|全州|全盟|全国|全部)")
_PART_LABEL = re.compile(r"^\s*其中")
_RANK_HEADING = re.compile(r"排名|排序|位次|名次")
# What opens a row label without being its subject: numbering (1. （一） 一、) and 其中.
_LABEL_PREFIX = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:其中\s*[:：]?\s*)?")
_THIS_PERIOD = re.compile(r"本期|本年|今年|本年度|当年|当期|本月累计|累计")
# Not after 比/较: `比上年增长%` is this period's change against last year's, not a figure of last year.
_LAST_PERIOD = re.compile(r"(?<![比较])(?:去年同期|上年同期|同期|上年度|上年|去年)")


@dataclass(frozen=True, slots=True)
class CellProvenance:
    """Where a table metric was read: table, row and column indices (0-based, in the table's grid as laid out in
    the canonical text), the row label, the column heading (header rows joined with a space), and the period the
    heading names (`period_label` as written, `period_start`/`period_end` as dates when they could be resolved)."""

    table_index: int
    row_index: int
    column_index: int
    row_label: str | None
    column_heading: str | None
    period_label: str | None = None
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True, slots=True)
class TableMetric:
    """A metric read from a table cell; `metric.modifies` indexes the list returned by :func:`table_metrics`."""

    metric: Metric
    provenance: CellProvenance


def _figure(text: str) -> re.Match[str] | None:
    m = _FIGURE.match(text)
    if m is None:
        return None
    unit = m.group("unit")
    if unit and unit not in "%％‰" and _known_unit(unit) is None:
        return None
    return m


def _known_unit(unit: str) -> str | None:
    """The unit with an optional leading scale if the lexicon knows it (`万元` → `万元`, `件` → `件`), else None."""
    unit = unit.strip().replace("％", "%")
    if unit == "%" or unit in _UNITS:
        return unit
    if len(unit) > 1 and unit[0] in "万亿千" and unit[1:] in _UNITS:
        return unit
    return None


def _is_figure(text: str, *, heading_row: bool = False) -> bool:
    if heading_row and (_YEAR_HEADING.match(text.strip()) or _MONTHS.fullmatch(text.strip())):
        return False
    return _figure(text) is not None


def _header_count(grid: list[list[str]], declared: int | None) -> int:
    """Leading rows without a figure, or more when the source marks more rows as headings (`<th>`, Word)."""
    count = 0
    for row in grid:
        if any(_is_figure(c, heading_row=True) for c in row[1:]):
            break
        count += 1
    count = count if count < len(grid) else 0
    if declared is not None and count < declared < len(grid):
        return declared
    return count


def _fill_headers(grid: list[list[str]], headers: int) -> None:
    """Empty heading cells continue the heading to their left (merged over columns) or, in the first column, the
    one above (merged over rows)."""
    for r in range(headers):
        for c in range(len(grid[r])):
            if grid[r][c]:
                continue
            if c == 0 and r > 0:
                grid[r][c] = grid[r - 1][c]
            elif c > 0 and grid[r][c - 1] and (r == 0 or grid[r - 1][c] == grid[r - 1][c - 1]):
                grid[r][c] = grid[r][c - 1]
            elif r > 0:
                grid[r][c] = grid[r - 1][c]


def _is_note(row: list[str]) -> bool:
    first = next((c for c in row if c.strip()), "")
    if not first:
        return True
    return bool(_NOTE_ROW.match(first)) or (len(row) > 1 and len(set(row)) == 1)


def _row_number_column(grid: list[list[str]], headers: int, body: list[int], column: int) -> bool:
    heading = " ".join(grid[r][column] for r in range(headers)).strip().lower()
    if heading in _ROW_NUMBER_HEADINGS:
        return True
    values = [grid[r][column].strip().rstrip(".、") for r in body]
    return len(values) >= 2 and values == [str(i) for i in range(1, len(values) + 1)]


def _label_columns(grid: list[list[str]], headers: int, body: list[int]) -> tuple[list[int], set[int]]:
    """(label columns, row-number columns): leading columns mostly without figures, and numbering columns."""
    labels: list[int] = []
    numbering: set[int] = set()
    width = len(grid[0])
    for c in range(width - 1):
        if _row_number_column(grid, headers, body, c):
            numbering.add(c)
            continue
        cells = [grid[r][c] for r in body if grid[r][c].strip() not in _EMPTY_MARKS]
        figures = sum(1 for x in cells if _is_figure(x))
        if cells and figures * 2 >= len(cells):
            break
        labels.append(c)
    return labels, numbering


def _heading_unit(heading: str) -> str | None:
    """The unit a column heading gives: `(%)`, `（万元）`, `比上年增长%`, `单位：件`."""
    for m in _HEADING_UNIT.finditer(heading):
        unit = _known_unit(m.group("unit").removeprefix("单位").lstrip(":："))
        if unit:
            return unit
    m = _TABLE_UNIT.search(heading)
    if m and _known_unit(m.group("unit")):
        return _known_unit(m.group("unit"))
    stripped = heading.rstrip()
    if stripped.endswith(("%", "％")):
        return "%"
    if stripped.endswith("百分点"):
        return "个百分点"
    return None


def _table_unit(table: PlacedTable, grid: list[list[str]]) -> str | None:
    texts = [table.caption, *(" ".join(row) for row in grid)]
    for text in texts:
        m = _TABLE_UNIT.search(text)
        if m:
            unit = _known_unit(m.group("unit"))
            if unit:
                return unit
    return None


def _period(heading: str, doc_date: date | None) -> tuple[str | None, date | None, date | None]:
    """(label, start, end) of the period a heading names; dates are None when the year cannot be told."""
    m = _YEAR_MONTHS.search(heading)
    if m:
        year = int(m.group("year"))
        first, last = _month_range(m)
        return m.group(0).strip(), date(year, first, 1), _month_end(year, last)
    m = _MONTHS.search(heading)
    last_year = _LAST_PERIOD.search(heading)
    this_year = _THIS_PERIOD.search(heading)
    year = doc_date.year if doc_date else None
    if last_year and year:
        year -= 1
    if m:
        first, last = _month_range(m)
        label = (last_year.group(0) if last_year else "") + m.group(0)
        if year is None:
            return label.strip(), None, None
        return label.strip(), date(year, first, 1), _month_end(year, last)
    if last_year or this_year:
        label = (last_year or this_year).group(0)  # type: ignore[union-attr]
        if year is None or doc_date is None:
            return label, None, None
        end = doc_date.replace(year=year) if doc_date.month != 2 or doc_date.day != 29 else date(year, 2, 28)
        return label, date(year, 1, 1), end
    return None, None, None


def _month_range(m: re.Match[str]) -> tuple[int, int]:
    if m.group("m1"):
        first, last = int(m.group("m1")), int(m.group("m2"))
    elif m.group("m"):
        first = last = int(m.group("m"))
    else:
        first, last = 1, 12
    if not (1 <= first <= last <= 12):
        first, last = 1, 12
    return first, last


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _residue(heading: str, period_label: str | None) -> str:
    """What a column heading measures, without its period, unit and change words: `收案数(件)` → `收案数`."""
    text = heading
    if period_label:
        text = text.replace(period_label, " ")
    text = _HEADING_UNIT.sub(" ", text)
    text = _TABLE_UNIT.sub(" ", text)
    text = _THIS_PERIOD.sub(" ", _LAST_PERIOD.sub(" ", text))
    text = re.sub(r"[%％]|个?百分点|数值|数量|合计|其中|[:：]", " ", text)
    return "".join(text.split())


def _label_subject(label: str | None) -> tuple[str | None, str | None]:
    """(subject, unit) of a row label: `其中：刑事案件（件）` → (`刑事案件`, `件`), `（一）结案率%` → (`结案率`, `%`).

    The label's numbering and `其中`, and a unit in brackets or a trailing `%`, are not part of the subject.
    """
    if not label:
        return None, None
    unit = _heading_unit(label)
    subject = _HEADING_UNIT.sub("", label) if unit else label
    subject = _LABEL_PREFIX.sub("", subject).rstrip("%％ ")
    return subject or label, unit


def _is_change(heading: str) -> bool:
    return bool(_CHANGE_WORDS.search(heading))


def _value(number: str, unit: str | None) -> tuple[Decimal, str, str, str] | None:
    """(value, unit, unit family, kind) of an unsigned figure with its unit, read as the running-text extractor
    reads the same figure in a sentence (`1234.5` + `万元` → 12345000 元, money, amount)."""
    number = number.replace("，", ",")
    if unit:
        found = extract_metrics(number + unit.replace("％", "%"))
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(number) + len(unit):
            m = found[0]
            return m.value, m.unit, m.unit_family, m.kind
    value = parse_number(number)
    if value is None:
        return None
    value = normalize(value)
    return value, "", "other", "count" if value == value.to_integral_value() else "measure"


def _heading_rows(table: PlacedTable) -> list[list[str]]:
    """The heading rows of a table, merged cells filled in."""
    grid = [[c.text for c in row] for row in table.rows]
    headers = _header_count(grid, table.header_rows)
    _fill_headers(grid, headers)
    return grid[:headers]


def table_metrics(
    table: PlacedTable, doc_date: date | None = None, header_from: PlacedTable | None = None
) -> list[TableMetric]:
    """The metrics of one table: one per figure in a body cell (see the module docstring for the rules).

    `doc_date` is the document's date, against which `本期`/`去年同期` headings are read. `header_from` is the part
    of the same table on the page before, for a table that goes on across a page break without repeating its
    headings: its heading rows (and unit) head this part's columns. A table of one column, or of one row without
    such a first part, gives no metrics (it is running text laid out as a table).
    """
    cells: list[list[PlacedCell]] = [list(r) for r in table.rows]
    if len(cells) < (1 if header_from else 2) or len(cells[0]) < 2:
        return []
    grid = [[c.text for c in row] for row in cells]
    headers = _header_count(grid, table.header_rows)
    _fill_headers(grid, headers)
    head = grid[:headers]
    inherited = header_from is not None and headers == 0 and len(header_from.rows[0]) == len(grid[0])
    if inherited:
        head = _heading_rows(header_from)  # type: ignore[arg-type]
    body = [r for r in range(headers, len(grid)) if not _is_note(grid[r])]
    if not body:
        return []
    shifted = list(range(len(head), len(head) + len(body)))  # the body rows' positions below the heading rows
    labels, numbering = _label_columns(head + [grid[r] for r in body], len(head), shifted)
    width = len(grid[0])
    table_unit = _table_unit(table, head)
    if table_unit is None and header_from is not None and inherited:
        table_unit = _table_unit(header_from, [])
    headings: list[str | None] = []
    for c in range(width):
        parts: list[str] = []
        for row in head:
            if row[c] and row[c] not in parts:
                parts.append(row[c])
        headings.append(" ".join(parts) or None)
    value_columns = [
        c
        for c in range(width)
        if c not in labels and c not in numbering and not _NOT_A_MEASURE.search(headings[c] or "")
    ]
    periods = {c: _period(headings[c] or "", doc_date) for c in value_columns}
    residues = {c: _residue(headings[c] or "", periods[c][0]) for c in value_columns}
    measures = {residues[c] for c in value_columns if not _is_change(headings[c] or "") and residues[c]}
    for c in labels[:-1]:  # a group label merged down rows (刑事案件 over 一审, 二审) heads each of them
        for above, r in pairwise(body):
            if not grid[r][c].strip():
                grid[r][c] = grid[above][c]
    out: list[TableMetric] = []
    for r in body:
        label_parts: list[str] = []
        for c in labels:
            if grid[r][c].strip() and grid[r][c] not in label_parts:
                label_parts.append(grid[r][c].strip())
        row_label = " ".join(label_parts) or None
        row_subject, row_unit = _label_subject(row_label)
        row_start = cells[r][0].start
        row_end = cells[r][-1].end
        last_base: int | None = None
        pending_changes: list[int] = []
        for c in value_columns:
            cell = cells[r][c]
            m = _figure(cell.text)
            if m is None:
                continue
            heading = headings[c] or ""
            change = _is_change(heading)
            rank = bool(_RANK_HEADING.search(heading))
            residue = residues[c]
            subject = row_subject
            if residue and not change and (len(measures) > 1 or not row_subject):
                subject = f"{row_subject or ''}{residue}"
            unit = _known_unit(m.group("unit") or "")
            if unit is None and change:
                unit = _heading_unit(heading) or "%"
            if unit is None and not rank:
                unit = row_unit or _heading_unit(heading) or table_unit
            if unit is None and not rank and (subject or "").endswith("率"):
                unit = "%"  # a rate (结案率, 破案率) without a stated unit is a percentage
            read = _value(m.group("number"), unit)
            if read is None:
                continue
            value, unit_name, family, kind = read
            if m.group("sign") in ("-", "−", "－", "↓", "▼"):
                value = -value
            if rank and not unit_name:
                family, kind = "rank", "rank"
            elif change and family == "percent":
                kind = "change_pct"
            elif kind == "count" and value != value.to_integral_value():
                kind = "measure"  # a count with decimals is an average (件/人), not a count
            start = cell.start + m.start("figure")
            end = cell.start + m.end("figure")
            label, p_start, p_end = periods[c]
            if label is None and row_label:  # rows by period: 2021年, 2022年1-6月
                label, p_start, p_end = _period(row_label, doc_date)
            metric = Metric(
                start=start,
                end=end,
                mention=cell.text[m.start("figure") : m.end("figure")],
                value=value,
                unit=unit_name,
                unit_family=family,
                approx=None,
                kind=kind,
                subject=subject,
                subject_simplified=simplify(subject) if subject else None,
                sentence_start=row_start,
                sentence_end=row_end,
                modifies=None,
            )
            out.append(
                TableMetric(
                    metric,
                    CellProvenance(table.index, r, c, row_label, headings[c], label, p_start, p_end),
                )
            )
            if change:
                if last_base is not None:
                    _link(out, len(out) - 1, last_base)
                else:
                    pending_changes.append(len(out) - 1)
            else:
                last_base = len(out) - 1
                for i in pending_changes:
                    _link(out, i, last_base)
                pending_changes.clear()
    return out


def _link(out: list[TableMetric], change: int, base: int) -> None:
    """Link a change to the value it modifies; the change takes the value's subject (`同比` says only how it moved)."""
    subject = out[base].metric.subject
    metric = out[change].metric._replace(
        modifies=base,
        subject=subject,
        subject_simplified=simplify(subject) if subject else None,
    )
    out[change] = TableMetric(metric, out[change].provenance)


def part_links(found: list[TableMetric]) -> list[tuple[int, int]]:
    """(part, total) index pairs into `found`: in each column, the figures of the other rows are parts of the
    totals row's figure (`合计`, `全市`), so that the warehouse checks that they do not exceed it.

    Only for a table with exactly one totals row; `其中` rows (parts of the row above, not of the total), changes,
    ranks and percentages are left out, and a part must have the total's unit.
    """
    totals = {t.provenance.row_index for t in found if _TOTAL_LABEL.match(t.provenance.row_label or "")}
    if len(totals) != 1:
        return []
    (total_row,) = totals
    summable = ("count", "amount", "measure")
    by_column = {
        t.provenance.column_index: i
        for i, t in enumerate(found)
        if t.provenance.row_index == total_row and t.metric.kind in summable and t.metric.modifies is None
    }
    links = []
    for i, t in enumerate(found):
        total = by_column.get(t.provenance.column_index)
        if (
            total is None
            or t.provenance.row_index == total_row
            or t.metric.kind not in summable
            or t.metric.modifies is not None
            or t.metric.unit != found[total].metric.unit
            or _PART_LABEL.match(t.provenance.row_label or "")
        ):
            continue
        links.append((i, total))
    return links
