"""The lexicon (``transforms/lexicon/*.json``), loaded once, and what both the reading of candidates and
the finding of subjects use: trailing fillers and comparisons, action verbs, blanks, the test for a CJK character.
"""

from __future__ import annotations

import re
from collections.abc import Container

from transforms.lexicon import Lexicon, alternation, end_chars, load_lexicon

_LEX: Lexicon = load_lexicon()
_TRAIL_RE = re.compile(
    rf"(?:{alternation(list(_LEX.trailing_filler) + list(_LEX.adverbs) + list(_LEX.compare))}"
    rf"|{'|'.join(_LEX.trailing_patterns)})$"
)
_TRAIL_SPAN = 24  # fillers and comparisons are short: only the end of a phrase is searched for them
_ACTION_RE = re.compile(alternation(_LEX.action))
_BLANKS = frozenset(" \u00a0\u3000\t")


class _AnyCharacter:
    """Holds every character: the ends of a regex whose last character cannot be bounded."""

    def __contains__(self, item: object) -> bool:
        return True


def _ends_of(regex: re.Pattern[str]) -> Container[str]:
    """The characters a match of an end-anchored ``regex`` (``$`` with ``endpos``) can end with
    (`transforms.lexicon.end_chars`), and the line break, since ``$`` also matches before a final one; every
    character when they cannot be bounded. A window whose last character is not among them holds no match: the
    search, which tries every start in the window against every alternative, is skipped by one look-up."""
    chars = end_chars(regex)
    return _AnyCharacter() if chars is None else chars | {"\n"}


_TRAIL_ENDS = _ends_of(_TRAIL_RE)


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"
