"""Extraction of quantitative metrics from Chinese government and political-legal work reports.

Input is the decoded text of one report.  Output is one :class:`Metric` per number that a careful analyst
would load into a metrics warehouse (see ``GOLD_SPEC``): ``458名政法干警`` → 458 people, subject 政法干警;
``同比上升249%`` → a +249 % change of the metric before it; ``位居全市法院第一`` → rank 1.

How it works:

1. The text is converted to simplified characters with OpenCC (a length-preserving mapping, checked, with
   a per-character fallback) and full-width digits are folded, so every offset in the working copy is an
   offset into the original text and one set of lexicons serves both scripts.
2. One compiled regex finds candidate numbers that touch a unit, a scale word or a percent sign; a second
   finds ``第N`` ranks.  Everything else (dates, list markers, bare numbers) never matches.
3. Each candidate is filtered (ordinals, per-unit rates, slogans, quoted names, identifiers, ``一`` as an
   article), then given its value, unit, approx, kind, sign and subject from the surrounding clause.
   Tables flattened into the text (``transforms.flat_tables``) are read cell by cell instead: the row label and
   column heading name each cell, the heading gives a unit the cell lacks.
4. Subjects are then settled over the whole document: subjects that read alike but name different things
   are widened to the verb, ``等`` or ``的`` before them (受理各类案件 / 审执结各类案件), and a topic named
   by a cleft or a heading label (``最多的是执行案件,``, ``1.刑事案件：``) completes the short ones after it.

Pure Python, no Prefect.  Lexicons live in ``transforms/lexicon/*.json``.

The package, in the order a document goes through it:

- ``text``: the simplified working copy (:func:`simplify`, :func:`clean_text`).
- ``records``: :class:`Metric`, the output, and the working record of one candidate number.
- ``words``: the lexicon and the words and patterns that several readers share.
- ``values``: numerals, scales, units, ranges and signs; the kind a unit gives; a value in JSON.
- ``filters``: numbers that are not metrics (ordinals, slogans, quoted names, session names, page counters).
- ``candidates``: the candidate regexes and the reading of one match with its change context (step 2 and 3).
- ``table_cells``: the cells of tables flattened into the text (step 3).
- ``phrases`` and ``subjects``: spans of noun phrases and the subject of one number (step 3).
- ``resolve``: subjects, list inheritance and change links, in text order (step 3).
- ``settle``: subjects settled over the whole document (step 4).
"""

from __future__ import annotations

import logging
import time

from transforms.extract.candidates import CANDIDATE_RE, PREFILTER_RE, RANK_RE, _candidate, _rank_candidate
from transforms.extract.filters import _SloganIndex
from transforms.extract.records import Metric, _Cand
from transforms.extract.resolve import _resolve
from transforms.extract.table_cells import _with_table_cells
from transforms.extract.text import clean_text, simplify
from transforms.extract.values import decimal_to_json
from transforms.sentences import SentenceIndex

__all__ = [
    "CANDIDATE_RE",
    "PREFILTER_RE",
    "RANK_RE",
    "DeadlineExceeded",
    "Metric",
    "check_deadline",
    "clean_text",
    "decimal_to_json",
    "extract_metrics",
    "simplify",
]


logger = logging.getLogger(__name__)


class DeadlineExceeded(TimeoutError):
    """The reading of one document ran past its deadline (see :func:`extract_metrics`)."""


def check_deadline(deadline: float | None) -> None:
    """Raise :class:`DeadlineExceeded` when ``deadline`` (a :func:`time.monotonic` value) has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlineExceeded("the document's analysis ran past its time limit")


_DEADLINE_EVERY = 256  # candidates read between two looks at the clock


def extract_metrics(text: str, *, deadline: float | None = None) -> list[Metric]:
    """Metrics mentioned in ``text``, sorted by start offset.

    Never raises on any ``str`` input, except :class:`DeadlineExceeded` when ``deadline`` (a
    :func:`time.monotonic` value) passes while the candidates are read. A failure inside (a bug: the tests run
    with ``strict``) loses only the number or the step it happened in, and is logged with its traceback.
    """
    try:
        return _extract(text, strict=False, deadline=deadline)
    except DeadlineExceeded:
        raise
    except Exception:  # pragma: no cover - safety net; tests run with strict=True
        logger.exception("extraction failed on a text of %d characters; no metrics read from it", len(text))
        return []


def _extract(text: str, *, strict: bool, deadline: float | None = None) -> list[Metric]:
    if not isinstance(text, str) or not text or not PREFILTER_RE.search(text):
        return []
    s = simplify(text)
    sents = SentenceIndex(s)
    slogans = _SloganIndex(s)
    cands: list[_Cand] = []
    # numbers with units, percents and fractions, then 第一 in a ranking
    for pattern, read in ((CANDIDATE_RE, _candidate), (RANK_RE, _rank_candidate)):
        for n, m in enumerate(pattern.finditer(s)):
            if n % _DEADLINE_EVERY == 0:
                check_deadline(deadline)
            try:
                c = read(s, m, sents, slogans)
            except Exception:
                if strict:
                    raise
                logger.exception("extraction: the number at offset %d was not read", m.start())
                c = None
            if c is not None:
                cands.append(c)
    cands.sort(key=lambda c: (c.start, -c.end))
    # drop overlaps (keep the earlier, longer one: the range 5%-8% over its bound 5%)
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        kept.append(c)
        last_end = c.end
    try:
        kept = _with_table_cells(text, s, sents, kept)
    except Exception:
        if strict:
            raise
        logger.exception("extraction: tables flattened into the text were not read")
    try:
        _resolve(text, s, kept, sents)
    except Exception:
        if strict:
            raise
        logger.exception("extraction: subjects and links were not resolved")
    where: dict[int, int] | None = None  # a table's change cells: the index of the value cell each modifies
    out: list[Metric] = []
    for c in kept:
        if c.base is not None:
            if where is None:
                where = {id(d): k for k, d in enumerate(kept)}
            c.modifies = where.get(id(c.base))
        sa, sb = c.span if c.span is not None else sents.span(c.start)
        if c.subj_text is not None:
            subj, subj_s = c.subj_text
        elif c.subj is not None:
            subj, subj_s = text[c.subj[0] : c.subj[1]], s[c.subj[0] : c.subj[1]]
        else:
            subj = subj_s = None
        value, high = c.value, c.value_high
        if c.change_dir < 0 and c.kind != "rank":
            value = -value
            if high is not None:
                high = -high
        # the fields in Metric's order, as its own __new__ would pass them (one call fewer per metric)
        out.append(
            _new_tuple(
                Metric,
                (
                    c.start,
                    c.end,
                    text[c.start : c.end],  # mention
                    value,
                    c.unit,
                    c.family,  # unit_family
                    c.approx,
                    c.kind,
                    subj,
                    subj_s,
                    sa,
                    sb,
                    c.modifies,
                    high,  # value_high
                ),
            )
        )
    return out


_new_tuple = tuple.__new__
