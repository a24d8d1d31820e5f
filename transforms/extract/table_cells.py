"""Tables flattened into the text (see ``transforms.flat_tables``), read cell by cell: a column
heading gives a name and a unit, a change column gives changes of the value beside it, a row label names each
cell.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal

from transforms.extract.records import _Cand
from transforms.extract.values import _CHANGE_UNITS, _family_kind, _scaled_unit
from transforms.extract.words import _LEX
from transforms.lexicon import table_words
from transforms.numbers import normalize
from transforms.sentences import SentenceIndex

# Column headings of change columns.  Whole words only: the one-character change verbs of the lexicon (增,
# 降) would also match headings such as 增值税.
_CHANGE_HEADING_RE = table_words().change_heading  # 同比, 比上年增长%: a change column
_DECREASE_HEADING_RE = table_words().decrease_heading
_HEADING_UNIT_RE = re.compile(r"[(（](?:单位[:：])?(?P<u>[^()（）]{1,6})[)）]|(?P<pct>[%‰])$|单位[:：](?P<u2>\S{1,6})$")


def _heading_unit(heading: str, written: str) -> tuple[str, str, str]:
    """(name, name as written, unit) of a column heading, given simplified and as written (same length):
    ``收案数(件)`` → (收案数, 收案数, 件); ``比上年增长%`` → (比上年增长, 比上年增长, %)."""
    m = _HEADING_UNIT_RE.search(heading)
    if m is None:
        if heading.endswith("数") and heading[:-1] in _LEX.units:
            return heading, written, heading[:-1]  # 宗数, 人数: the count of that unit
        return heading, written, ""
    unit = m.group("u") or m.group("pct") or m.group("u2") or ""
    a, b = m.span()
    if _scaled_unit(unit) is None:
        if m.group("u") and b == len(heading) and a > 0:
            return heading[:a].strip(), written[:a].strip(), ""  # 收案(含旧存): a remark, not a unit
        return heading, written, ""
    return (heading[:a] + heading[b:]).strip(), (written[:a] + written[b:]).strip(), unit


def _with_table_cells(text: str, s: str, sents: SentenceIndex, cands: list[_Cand]) -> list[_Cand]:
    """``cands`` with the numbers of tables flattened into the text read cell by cell (see
    ``transforms.flat_tables``): every value cell is a metric whose unit is its own, else its column heading's,
    else the table's ``单位：`` line; its subject is the row's label, with the column's name when the table
    has more than one value column (丙庭结案率); a change column (同比, 比上年增长%) gives a change of its
    row's value in the nearest value column to its left.  Numbers found in prose inside a table are
    replaced by its cells.
    """
    from transforms.flat_tables import VALUE_RE, find_tables, is_value

    tables = find_tables(s)
    if not tables:
        return cands
    starts = [tb.start for tb in tables]  # tables are in order and do not overlap

    def in_table(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < tables[k].end

    out = [c for c in cands if not in_table(c.start)]
    for tb in tables:
        cols = [_heading_unit(h.text, text[h.start : h.end]) for h in tb.header]
        change = [j > 0 and bool(_CHANGE_HEADING_RE.search(name)) for j, (name, _, _) in enumerate(cols)]
        first = tb.label + 1  # value columns start after the labels (and an index column before them)
        change = [j >= first and c for j, c in enumerate(change)]
        values = [j for j in range(first, len(cols)) if not change[j] and not _NOT_METRIC_HEADING_RE.search(cols[j][0])]
        default_unit = tb.unit or cols[tb.label][2]  # 单位：万元 above, or 项目(万元) over the labels
        for row in tb.rows:
            label = row[tb.label]
            # a row named by a year (2023年) is a period: the column alone names the metric
            by_year = _YEAR_RE_HEADING.fullmatch(label.text) is not None
            row_s, row_w, row_unit = (
                ("", "", "") if by_year else _heading_unit(label.text, text[label.start : label.end])
            )
            base: _Cand | None = None
            for j, cell in enumerate(row[first:], start=first):
                if _NOT_METRIC_HEADING_RE.search(cols[j][0]):
                    continue  # 联系电话, 成立时间, 编号: a column of codes or dates holds no metrics
                if not is_value(cell.text):
                    if not change[j]:
                        base = None
                    continue
                m = VALUE_RE.fullmatch(cell.text)
                assert m is not None  # is_value said so
                scaled = _scaled_unit(m.group("unit") or cols[j][2] or row_unit or default_unit)  # 受理案件(件)
                if scaled is None:
                    continue
                factor, unit = scaled
                value = Decimal(m.group("num").replace(",", "")) * factor
                if unit == "成":
                    value, unit = value * 10, "%"
                family = _LEX.units.get(unit, "other") if unit else "other"
                kind = _family_kind(family)
                name = cols[j][0]
                if change[j]:
                    if unit in _CHANGE_UNITS:
                        kind = "change_pct"
                    if _DECREASE_HEADING_RE.search(name):
                        value = -value
                if m.group("sign") and m.group("sign") != "+":
                    value = -value
                c = _Cand(
                    start=cell.start,
                    end=cell.end,
                    value=normalize(value),
                    unit=unit,
                    family=family,
                    approx=None,
                    kind=kind,
                    sent=sents.sentence_id(cell.start),
                    qstart=cell.start,
                    fixed=True,
                )
                head_j = next((k for k in range(j, tb.label, -1) if not change[k]), j) if change[j] else j
                head_s, head_w = cols[head_j][0], cols[head_j][1]
                if (len(values) < 2 and row_s) or _YEAR_RE_HEADING.fullmatch(head_s):
                    head_s = head_w = ""  # the row alone tells it apart; a year names the period, not the metric
                if row_s or head_s:
                    c.subj_text = (row_w + head_w, row_s + head_s)
                c.base = base if change[j] else None
                if not change[j]:
                    base = c
                out.append(c)
    out.sort(key=lambda c: c.start)
    return out


_NOT_METRIC_HEADING_RE = table_words().not_a_measure_heading
_YEAR_RE_HEADING = re.compile(r"(?:19|20)[0-9]{2}(?:年度?)?(?:[0-9]{1,2}(?:-[0-9]{1,2})?月)?")
