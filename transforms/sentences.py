"""Sentence, clause and paragraph boundaries in Chinese report text: the one segmentation module, used by
extraction, attribution, periods, indicators and relations.

For a metric's subject (`SentenceIndex`, `clause_start`), a sentence ends at 。！？!? , a line break, or the end of
the text, and a clause additionally at commas, enumeration commas, semicolons, colons and spaces. For the evidence
of attribution and periods (`Segments`), a clause ends only at a sentence end or a semicolon, and a paragraph at a
line break. Every reader takes its break offsets from one scan per text and set of characters (`break_offsets`).
Offsets are character offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache

#: Characters that end a sentence.
SENTENCE_END = re.compile(r"[。！？!?\n]+")

#: Characters that end a clause (used when looking for the subject of a number).
CLAUSE_CHARS = frozenset("，,、；;：:。！？!?\n\r\t 　【】[]·…—|")

#: Characters that end a sentence, and a clause, for the evidence of attribution and periods (`Segments`).
EVIDENCE_SENTENCE_ENDS = "。！？!?\n"
EVIDENCE_CLAUSE_ENDS = "。！？!?\n；;"

#: A character at which :func:`clause_start` stops walking back: a clause end or a bracket.
_CLAUSE_STOP = re.compile("[" + re.escape("".join(sorted(CLAUSE_CHARS | set("()（）")))) + "]")


class SentenceIndex:
    """Sentence spans of one text, found with a single regex pass and looked up by bisection."""

    __slots__ = ("_ends", "_spans", "_stops", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        # position just after each run of terminators (Match.end mapped in C: no Python step per sentence)
        self._ends: list[int] = list(map(re.Match.end, SENTENCE_END.finditer(text)))
        self._stops: list[int] | None = None  # offsets of clause ends and brackets, found on first use
        # sentence number → (its first non-blank offset, its end): each sentence's span is worked out once
        self._spans: dict[int, tuple[int, int]] = {}

    def clause_start(self, pos: int, floor: int) -> int:
        """:func:`clause_start` of this index's text: the same answer, found by bisection over the offsets of the
        clause ends and brackets (one regex pass over the text, on first use) instead of a walk back character by
        character, so that many numbers far from a clause end cost no more than a few near one."""
        stops = self._stops
        if stops is None:
            stops = self._stops = list(map(re.Match.start, _CLAUSE_STOP.finditer(self._text)))
        text = self._text
        i = pos
        while i > floor:
            k = bisect_left(stops, i) - 1  # the last stop before i
            if k < 0 or stops[k] < floor:
                return floor
            q = stops[k]
            if text[q] in ")）":
                j = opening_bracket(text, q, floor)
                if j < 0:
                    return q + 1
                i = j
                continue
            return q + 1
        return floor

    def span(self, pos: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence holding ``pos``; end includes the terminator."""
        i = bisect_right(self._ends, pos)
        known = self._spans.get(i)
        if known is None:
            start = self._ends[i - 1] if i else 0
            end = self._ends[i] if i < len(self._ends) else len(self._text)
            while start < end and self._text[start] in " \t\u3000\r":  # skip leading blanks
                start += 1
            known = self._spans[i] = (start, end)
        # a position among the leading blanks opens its sentence itself
        return known if known[0] <= pos else (pos, known[1])

    def locate(self, pos: int) -> tuple[int, tuple[int, int]]:
        """:meth:`sentence_id` and :meth:`span` of ``pos`` in one look-up."""
        i = bisect_right(self._ends, pos)
        known = self._spans.get(i)
        if known is None:
            return i, self.span(pos)
        return i, known if known[0] <= pos else (pos, known[1])

    def sentence_id(self, pos: int) -> int:
        """An integer naming the sentence that holds ``pos``."""
        return bisect_right(self._ends, pos)


def opening_bracket(text: str, close: int, floor: int) -> int:
    """Index of the bracket that opens the one closing at ``close`` (half- or full-width), or -1 when it does not
    open at or after ``floor``."""
    depth = 0
    for j in range(close, floor - 1, -1):
        if text[j] in ")）":
            depth += 1
        elif text[j] in "(（":
            depth -= 1
            if depth == 0:
                return j
    return -1


def clause_start(text: str, pos: int, floor: int) -> int:
    """Start of the clause that ends at ``pos``, not before ``floor``.

    A parenthesised remark directly before ``pos`` is skipped: in ``第一种形态(谈话提醒、批评教育)148076人``
    the clause of the number starts at ``运用`` / ``第一种形态``, not inside the parentheses.
    """
    i = pos
    while i > floor:
        c = text[i - 1]
        if c in ")）":
            j = opening_bracket(text, i - 1, floor)
            if j < 0:
                return i
            i = j
            continue
        if c in CLAUSE_CHARS or c in "(（":
            return i
        i -= 1
    return floor


@cache
def _class_re(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(chars)}]")


@lru_cache(maxsize=16)
def break_offsets(text: str, chars: str) -> list[int]:
    """Offsets in `text` of each of the characters `chars` (a set of clause or sentence ends), ascending: one scan
    per text and set, kept for the last few texts and shared by every reader (do not change the list)."""
    return list(map(re.Match.start, _class_re(chars).finditer(text)))


class Segments:
    """Clause, sentence and paragraph starts of a text, to find the one a position lies in: the segments the
    evidence of attribution and periods is looked up in (`transforms.evidence.nearest`). Their clauses end only at
    sentence ends and semicolons (a comma does not end the scope of a place or body named before it)."""

    def __init__(self, text: str) -> None:
        self.para = break_offsets(text, "\n")
        self.sent = break_offsets(text, EVIDENCE_SENTENCE_ENDS)
        self.clause = break_offsets(text, EVIDENCE_CLAUSE_ENDS)

    def clause_start(self, pos: int) -> int:
        i = bisect_left(self.clause, pos)
        return self.clause[i - 1] + 1 if i else 0

    def sentence_start(self, pos: int) -> int:
        i = bisect_left(self.sent, pos)
        return self.sent[i - 1] + 1 if i else 0

    def paragraph_start(self, pos: int) -> int:
        i = bisect_left(self.para, pos)
        return self.para[i - 1] + 1 if i else 0
