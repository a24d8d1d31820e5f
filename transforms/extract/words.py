"""The lexicon (``transforms/lexicon/*.json``), loaded once, and what both the reading of candidates and
the finding of subjects use: trailing fillers and comparisons, action verbs, blanks, the test for a CJK character.
"""

from __future__ import annotations

import re

from transforms.lexicon import Lexicon, alternation, end_chars, load_lexicon

_LEX: Lexicon = load_lexicon()
_TRAIL_RE = re.compile(
    rf"(?:{alternation(list(_LEX.trailing_filler) + list(_LEX.adverbs) + list(_LEX.compare))}"
    rf"|{'|'.join(_LEX.trailing_patterns)})$"
)
#: The characters a match of _TRAIL_RE ends with (or None): a window ending otherwise is not searched.
_TRAIL_LAST = end_chars(_TRAIL_RE)
_TRAIL_SPAN = 24  # fillers and comparisons are short: only the end of a phrase is searched for them
_ACTION_RE = re.compile(alternation(_LEX.action))
_BLANKS = frozenset(" \u00a0\u3000\t")


def _may_end(s: str, end: int, last: frozenset[str] | None) -> bool:
    """False when no match anchored at ``end`` (``$`` with ``endpos=end``) can end with the character before it:
    ``last`` is the set of characters such matches end with (`transforms.lexicon.end_chars`), None for any; a
    line break is let through, since ``$`` also matches before a final one."""
    return last is None or (end > 0 and (s[end - 1] in last or s[end - 1] == "\n"))


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"
