"""A number's value, unit and kind.

The parts of the number patterns (Arabic and Chinese numerals, scale words, units, qualifiers), the lower bound
of a range (``5至8万元``), a sign written before a change (``同比 -5.2%``), an abbreviated last digit (``1万2``,
``一成八``), a written unit with its scale (``万元``), the kind a unit family gives (count, amount, measure,
percent, change_pct) and the JSON form of a value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from transforms.extract.words import _BLANKS, _LEX, _is_cjk
from transforms.lexicon import alternation
from transforms.numbers import parse_number, scale_factor
from transforms.sentences import CLAUSE_CHARS


def decimal_to_json(value: Decimal) -> float | int | str:
    """An int for integral values, a float when it round-trips exactly, else the decimal string."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    f = float(value)
    if Decimal(repr(f)) == value:
        return f
    return str(value)


_UNITS = alternation(_LEX.units)
_QUAL_BEFORE = alternation(_LEX.qual_before)
_QUAL_AFTER = alternation(_LEX.qual_after)


def _scale_alternation() -> str:
    """Scale words, longest first; a scale that begins a unit (千 in 千克, 千米, 千瓦) is not read as a
    scale in front of the rest of that unit."""
    parts = []
    for w in sorted(_LEX.scales, key=lambda w: (-len(w), w)):
        rest = [u[len(w) :] for u in _LEX.units if u.startswith(w)]
        parts.append(re.escape(w) + (f"(?!{alternation(rest)})" if rest else ""))
    return "|".join(parts)


_SCALES = _scale_alternation()
_AR = r"""
    (?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])        # 1,234 or 1,234.5
      |[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3})+(?:\.[0-9]+)?(?![0-9.])  # 4 598, 3 456.7 (space-grouped)
      |[0-9]+(?:\.[0-9]+)?)                                    # 1379, 69.11
"""
_CN = r"""
    (?:[零〇一二两三四五六七八九十][零〇○一二两三四五六七八九十百千万亿]*  # 十八, 两千三百, 一千○八十二
       (?:点[零〇○一二三四五六七八九]+)?)                                 # 九十五点二 (decimals)
"""
_MIX_TAIL = r"""
    (?:[亿万千百十]++[0-9]++)+[亿万千百十]*   # after Arabic digits, more digits between multipliers: 1万2千, 3亿5千万
"""
#: A Chinese numeral starts only where a run of numeral characters starts: trying every character of a long
#: run (一一一…) would make the scan quadratic, and a number never starts inside another one.
_CN_START = r"(?<![零〇○一二两三四五六七八九十百千万亿])"
_SP = r"[ \u00a0\u3000]?"  # at most one blank between a number and its scale or unit (PDF text: 1 234 件)

#: The lower bound of a range, just before the upper bound that the candidate regex found: 5至8万元, 5-8%,
#: 3%—5%, 三到五名, 5万至8万元.  Searched (anchored at the upper bound) in a short window before it.
_RANGE_LOW_RE = re.compile(
    rf"""
    (?<![0-9.A-Za-z\-])                         # not inside a longer number or an identifier
    (?P<lpre>{_QUAL_BEFORE})?                    # 约5至8万元
    (?P<lo>{_AR}|{_CN_START}{_CN})                # the lower bound
    (?P<lscale>{_SCALES})?                       # 5万至8万元
    (?P<lunit>{_UNITS}|成)?                      # 3%-5%, 3件至5件
    {_SP}(?:至|到|-|~|～|—|–|－){_SP}            # the range sign
    $""",
    re.VERBOSE,
)
_RANGE_WINDOW = 24  # the lower bound, its scale, unit and qualifier are short
_FROM_WORDS = frozenset("由从")  # 由5%到8%: a change between two values, not a range
_CHANGE_UNITS = frozenset({"%", "‰", "个百分点", "百分点", "倍"})
_MINUS = frozenset("-−－")  # ASCII hyphen-minus, minus sign, full-width hyphen
_SIGNS = _MINUS | frozenset("+＋")
_RANGE_SIGNS = _MINUS | frozenset("至到~～—–")  # 5至8万元, 5-8%, 三到五名


def _explicit_sign(s: str, start: int, unit: str) -> int:
    """+1 / -1 for a change written with a sign in a table or list (``同比 -5.2%``), else 0.

    The sign must follow a Chinese character, a blank or an opening bracket (not a digit, letter or unit:
    ``2021-5``, ``6+N``, the range ``3%-5%``) and the unit must be one of a change (%, 个百分点, 倍).
    """
    if unit not in _CHANGE_UNITS or start < 1:
        return 0
    prior = s[start - 2] if start >= 2 else ""
    if prior and not (_is_cjk(prior) or prior in _BLANKS or prior in "：:(（"):
        return 0  # 2021-5, 3%-5% (a range), 6+N
    return -1 if s[start - 1] in _MINUS else 1


def _range_low(
    s: str, qstart: int, unit: str, scale: str | None, high: Decimal, unit_factor: int
) -> tuple[int, Decimal, str | None] | None:
    """The lower bound of a range that ends with the number at ``qstart``: ``5至8万元``, ``5-8%``, ``三到五名``.

    ``high`` is the upper bound's value after its scale and unit (成 → ×10); a lower bound without a scale of
    its own takes the upper bound's (``5至8万元`` → 50000), unless that would put it above ``high``
    (``5000至8万元``).  Returns ``(start, low, approx)`` or None when no lower bound stands there or it is not
    below ``high`` (``2021-5``).  Source of the rule: GOLD_SPEC, ranges.
    """
    lm = _RANGE_LOW_RE.search(s, max(0, qstart - _RANGE_WINDOW), qstart)
    if lm is None:
        return None
    if lm.start() and s[lm.start() - 1] in _FROM_WORDS:
        return None  # 由5%到8%, 从3件到5件: a change from one value to another, two metrics
    lunit = lm.group("lunit")
    if lunit and lunit != unit:
        return None  # 3件至5% is not a range
    raw = parse_number(lm.group("lo"))
    if raw is None:
        return None
    lscale = lm.group("lscale")
    if lscale:
        low = raw * scale_factor(lscale) * unit_factor
    else:
        low = raw * (scale_factor(scale) if scale else 1) * unit_factor
        if low >= high:
            low = raw * unit_factor  # 5000至8万元: the lower bound is written in full
    if low >= high:
        return None
    lpre = lm.group("lpre")
    return lm.start(), low, _LEX.qual_before.get(lpre) if lpre else None


def _abbreviated_tail(s: str, m: re.Match[str]) -> tuple[int, Decimal] | None:
    """A lone digit after a scale or 成 that closes the number: ``1万2`` → (end, 2000), ``三万五`` → (end, 5000),
    ``一成八`` → (end, 0.8) (1.8 tenths, i.e. 18 %).  Returns the new end of the mention and the value the digit
    adds (before 成 is turned into per cent), else None."""
    scale, unit, unit2 = m.group("scale", "unit", "unit2")
    unit = unit or unit2
    if unit != "成" and (unit or not scale):
        return None  # neither 成 nor a scale without a unit (the cheap test first)
    end = m.end()
    if m.group("post") or m.group("inner1") or m.group("inner2"):
        return None
    if unit == "成":
        step = Decimal("0.1")  # 一成八: the digit counts hundredths, a tenth of a 成
    elif scale and not unit:
        step = scale_factor(scale[-1]) / 10  # 三万五: the digit counts the next lower place
    else:
        return None
    if end >= len(s) or not (s[end].isdigit() or s[end] in _TAIL_DIGITS):
        return None
    after = s[end + 1] if end + 1 < len(s) else ""
    if after and not (after in CLAUSE_CHARS or after in ")）的"):
        return None
    num = m.group("num")
    if num[-1].isdigit() != s[end].isdigit():
        return None  # 1万五, 三万5: not one numeral
    digit = Decimal(int(s[end])) if s[end].isdigit() else Decimal(_TAIL_DIGITS[s[end]])
    return end + 1, digit * step


_TAIL_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _scaled_unit(unit: str) -> tuple[Decimal, str] | None:
    """(factor, unit) for a written unit, scale words applied: ``万元`` → (10000, 元), ``%`` → (1, %); None
    when it is not a unit of the lexicon."""
    if unit == "" or unit in _LEX.units or unit == "成":
        return Decimal(1), unit
    for k in range(len(unit), 0, -1):
        head, rest = unit[:k], unit[k:]
        if head in _LEX.scales and (rest == "" or rest in _LEX.units):
            return scale_factor(head), rest
    return None


def _family_kind(family: str) -> str:
    """The kind a unit family gives a metric (`units.json` `family_kinds`; a family not listed gives a count)."""
    return _LEX.family_kinds.get(family, "count")
