"""The working copy of a report's text: simplified characters and folded digits, at the same offsets.

Every reader of the package works on ``simplify(text)``.  The copy has the length of the original, so an
offset into it is an offset into the text as written.  :func:`clean_text` replaces lone surrogates so that a
text can be encoded as UTF-8.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from transforms.numbers import FULLWIDTH, FULLWIDTH_GROUP_RE, fold_financial

_T2S = opencc.OpenCC("t2s")
_CHAR_CACHE: dict[str, str] = {}


def _char_t2s(c: str) -> str:
    r = _CHAR_CACHE.get(c)
    if r is None:
        conv = _T2S.convert(c)
        r = conv if len(conv) == 1 else c
        _CHAR_CACHE[c] = r
    return r


def _fold_group_comma(m: re.Match[str]) -> str:
    """``，`` → ``,`` when a full-width digit precedes it too (１，２３４); otherwise it is left alone."""
    i = m.start()
    return "," if i and "０" <= m.string[i - 1] <= "９" else "，"


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate (text decoded with ``surrogateescape``, broken UTF-16) replaced by
    U+FFFD, so that it can be encoded as UTF-8 (OpenCC, DuckDB and JSON need that).  Same length."""
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def simplify(text: str) -> str:
    """Simplified-character copy of ``text`` with exactly the same length (offsets stay valid).

    OpenCC converts phrase by phrase; in the rare case that changes the length, fall back to converting
    character by character.  Full-width digits, ``％`` and ``（）`` are folded to ASCII, and so is a
    full-width comma that groups full-width digits in thousands (``１，２３４``).  Financial numerals are
    folded to the common ones (``壹拾贰万伍仟圆`` → ``一十二万五千元``).  Lone surrogates become U+FFFD.
    """
    text = clean_text(text)
    conv = t2s(text)
    if len(conv) != len(text):
        conv = "".join(_char_t2s(c) for c in text)
    if FULLWIDTH_GROUP_RE.search(conv):
        conv = FULLWIDTH_GROUP_RE.sub(_fold_group_comma, conv)
    conv = fold_financial(conv)
    # only the runs of full-width forms are translated: `str.translate` with a table looks up every character
    return _FULLWIDTH_RE.sub(_fold_fullwidth, conv) if _FULLWIDTH_RE.search(conv) else conv


_FULLWIDTH_RE = re.compile(f"[{re.escape(''.join(map(chr, FULLWIDTH)))}]+")  # the characters FULLWIDTH folds


def _fold_fullwidth(m: re.Match[str]) -> str:
    return m.group().translate(FULLWIDTH)


@lru_cache(maxsize=64)
def t2s(text: str) -> str:
    """OpenCC's traditional → simplified conversion of `text`, which may differ in length on rare phrase rewrites.
    The last few results are kept: the metadata, the extractor and the indicator reader each convert one document,
    and a document's title and publisher are converted by several readers."""
    return _T2S.convert(text)
