"""The records of a metric: :class:`Metric`, what extraction returns, and ``_Cand``, the record one
candidate number is worked on in (value, unit, kind, sentence, change context, subject span) until it becomes a
``Metric``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple


class Metric(NamedTuple):
    """One metric mention in a report (a named tuple: built by the thousand per report, faster than a frozen
    dataclass; change a field with ``_replace``).

    ``text[start:end] == mention`` in the original text.  ``value`` is exact and signed for changes.
    ``modifies`` is the index, in the list returned by :func:`extract_metrics`, of the metric that a
    change metric modifies (``同比上升249%`` after ``打击各类刑事犯罪136人``), else None.
    ``value_high`` is the upper bound of a range (``5至8万元`` → value 50000, value_high 80000; ``两三名`` →
    2 and 3), else None; a range of decreases keeps the order as written (``下降5%-8%`` → -5 and -8).
    """

    start: int
    end: int
    mention: str
    value: Decimal
    unit: str
    unit_family: str
    approx: str | None
    kind: str
    subject: str | None
    subject_simplified: str | None
    sentence_start: int
    sentence_end: int
    modifies: int | None
    value_high: Decimal | None = None


@dataclass(slots=True)
class _Cand:
    # built by the thousand per report, from its first eleven fields in this order (positional arguments: a
    # keyword call costs about as much again)
    start: int
    end: int
    value: Decimal
    unit: str
    family: str
    approx: str | None
    kind: str
    sent: int  # sentence id
    qstart: int  # start of the number, after any left qualifier
    value_high: Decimal | None = None  # upper bound of a range (5至8万元, 两三名)
    span: tuple[int, int] | None = None  # its sentence's span (SentenceIndex.span of start), once looked up
    change_dir: int = 0  # +1 / -1 when a change verb precedes, else 0
    change_pos: int = -1  # where the change verb (and its comparison phrase) starts
    respectively: bool = False  # 分别 precedes the change verb or the number (分别为, 分别占)
    resp_pos: int = -1  # where 分别 starts before a number that is not a change (分别为1520件、1488件)
    subj: tuple[int, int] | None = None  # span in the text
    subj_text: tuple[str, str] | None = None  # (as written, simplified) when not a single span
    modifies: int | None = None
    fixed: bool = False  # a table cell: subject and link given by its row and column, not resolved from prose
    base: _Cand | None = None  # a table's change cell: the value cell of its row that it modifies
    group: list[int] | None = None  # the head of a list of changes: the indices of the numbers listed after it
