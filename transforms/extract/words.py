"""The lexicon (``transforms/lexicon/*.json``), loaded once, and what both the reading of candidates and
the finding of subjects use: trailing fillers and comparisons, action verbs, blanks, the test for a CJK character.
"""

from __future__ import annotations

import re

from transforms.lexicon import Lexicon, alternation, load_lexicon

_LEX: Lexicon = load_lexicon()
_TRAIL_RE = re.compile(
    rf"(?:{alternation(list(_LEX.trailing_filler) + list(_LEX.adverbs) + list(_LEX.compare))}"
    rf"|{'|'.join(_LEX.trailing_patterns)})$"
)
_TRAIL_SPAN = 24  # fillers and comparisons are short: only the end of a phrase is searched for them
_ACTION_RE = re.compile(alternation(_LEX.action))
_BLANKS = frozenset(" \u00a0\u3000\t")


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"
