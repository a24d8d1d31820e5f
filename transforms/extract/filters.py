"""Numbers that are not metrics: ordinals and rates (``第3次``, ``每5人``), vague numerals (``数十家``),
identifiers, slogan and programme names (``两个一百年``), numbers inside a quoted name (“三个一”), session
names (``二次会议``) and a web page's counters (``浏览次数：1234次``).  Cheap tests on a character or two let
most numbers skip the regex searches.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from transforms.extract.words import _LEX
from transforms.lexicon import alternation
from transforms.sentences import CLAUSE_CHARS

_SESSION_AFTER_RE = re.compile(alternation(_LEX.session_after))
_PAGE_LABEL_RE = re.compile(
    rf"""(?:{alternation(_LEX.page_counter_labels)})   # 浏览次数 阅读量 点赞 …
    [ \u3000]*[：:][ \u3000]*                          # a label's colon, blanks around it
    $""",
    re.VERBOSE,
)
_ZEROS = frozenset({"零", "〇"})
_BARE_HUNDREDS = frozenset("百千万")  # numerals written without a leading digit (千余人 = 一千余人)
_SLOGAN_RE = re.compile(alternation(_LEX.slogans))
_NOT_BEFORE_RE = re.compile(  # 第 每 前 首 … just before the number
    rf"(?:{alternation(_LEX.not_metric_before)}|{'|'.join(_LEX.not_metric_before_patterns)})$"
)
_NOT_BEFORE_SPAN = max(map(len, _LEX.not_metric_before))


_VAGUE_BEFORE = tuple(_LEX.vague_before)
_IDENT_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_/@#:+=&")
_CN_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千")


_QUOTES = (("“", "”"), ('"', '"'), ("「", "」"))  # opening and closing quotation marks


def _in_quote(
    s: str, start: int, end: int, floor: int, max_len: int, straight: list[int], quotes: tuple[tuple[str, str], ...]
) -> bool:
    """True for a number inside a quoted name of at most ``max_len`` characters (“三个一”, “七项教育”).

    Chinese numerals inside quotation marks are nearly always part of a slogan, so callers pass a longer
    limit for them (“六方参与、六人见证、六指留印”).  ``straight`` holds the offsets of every ``"`` in ``s``
    (sorted), so that telling an opening one from a closing one does not rescan the sentence.  Only quotes
    close enough for the name to fit are looked for, which keeps the cost per number constant.  ``quotes`` are
    the pairs of quotation marks whose opening one occurs in ``s`` (no other pair can open a name there).
    """
    lo = max(floor, end - max_len - 1)  # an opening quote further back cannot close within max_len
    for open_q, close_q in quotes:
        o = s.rfind(open_q, lo, start)
        if o < 0:
            continue
        if open_q != close_q and s.rfind(close_q, o + 1, start) >= 0:
            continue
        if open_q == close_q and (bisect_left(straight, start) - bisect_left(straight, floor)) % 2 == 0:
            continue
        close = s.find(close_q, end, o + max_len + 2)
        if close >= 0:
            return True
    return False


class _SloganIndex:
    """Spans of slogan / programme names (两个一百年, 十四五) in the text."""

    __slots__ = ("_ends", "_starts", "found", "quoted", "quotes", "straight_quotes")

    def __init__(self, s: str) -> None:
        spans = [(m.start(), m.end()) for m in _SLOGAN_RE.finditer(s)]
        self._starts = [a for a, _ in spans]
        self._ends = [b for _, b in spans]
        self.found = bool(spans)  # without a slogan nothing overlaps one
        self.straight_quotes = [m.start() for m in re.finditer('"', s)]  # for _in_quote
        self.quotes = tuple(pair for pair in _QUOTES if pair[0] in s)  # the pairs a name may be quoted with
        self.quoted = bool(self.quotes)  # without an opening quote no number is in a quoted name

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_left(self._starts, b)
        # check the slogan that starts last before b
        return i > 0 and self._ends[i - 1] > a


def _is_session_name(s: str, start: int, unit_end: int) -> bool:
    """True for N次 in a numbered session name: 届 shortly before, 会议 / 全会 right after (二次会议)."""
    if not _SESSION_AFTER_RE.match(s, unit_end):
        return False
    window = s[max(0, start - _LEX.session_window) : start]
    return _LEX.session_before in window and not any(
        c in CLAUSE_CHARS for c in window[window.rfind(_LEX.session_before) :]
    )
